// kernel/base/lib/rbtree.cpp -- the type-independent half of the red-black tree:
// rotations, the insert and erase colour fix-ups, in-order stepping and the
// structural checks. The rules and the interface are described in rbtree.h.
//
// Pictures. A rotation turns one edge around without changing the in-order
// sequence (a x b y c stays a x b y c):
/*
 *          x                               y
 *         / \      rotate_left(x)         / \
 *        a   y     ------------->        x   c
 *           / \    <-------------       / \
 *          b   c   rotate_right(y)     a   b
 */
// Only x and y get new subtrees, so only they need their summaries recomputed
// (lower one first), and the set below the top of the picture is unchanged,
// so nothing above it does.
//
// Insert (CLRS 13.3): the new node is red, so rule (3) holds at once; only
// rule (2) can break, between the node and its parent. While the parent is
// red: if the uncle is red too, recolour parent and uncle black and the
// grandparent red and continue two levels up (case 1); otherwise one or two
// rotations around the grandparent end the loop (cases 2 and 3).
//
// Erase (CLRS 13.4): a node with two children is first swapped, by relinking,
// with its in-order successor (which has no left child), so the node actually
// spliced out of its position has at most one child. If the spliced position
// held a black node, every path through it lost one black: the child that
// moved up carries an "extra black" which the fix-up pushes up the tree or
// absorbs by recolouring and at most three rotations (cases 1-4).
//
// Augmented summaries are made correct before each fix-up (propagate() from
// the lowest changed node to the root), and every rotation in the fix-up
// keeps them correct locally.
//
// A missing child (nullptr) counts as black throughout. Every operation is
// O(log n): the fix-up loops climb at most the height of the tree.
//
// Read more: CLRS ch. 13; Sedgewick, "Algorithms", on 2-3-4 trees, for why
// the colours work; Linux lib/rbtree.c (the same cases, written there without
// explicit parent/child variables; read for ideas only).
#include <kernel/base/lib/rbtree.h>

namespace kern {

namespace {

bool is_red(const RbNode* node) { return node && node->is_red(); }

} // namespace

void RbTreeCore::mark_unlinked(RbNode& node)
{
    node.m_parent = &node;
    node.m_left = node.m_right = nullptr;
    node.m_color = RbColor::Red;
}

// Make `new_child` take old_child's place below `parent` (or at the root).
// The caller fixes new_child->m_parent.
void RbTreeCore::replace_child(RbNode* parent, RbNode& old_child, RbNode* new_child)
{
    if (!parent)
        m_root = new_child;
    else if (parent->m_left == &old_child)
        parent->m_left = new_child;
    else
        parent->m_right = new_child;
}

// => x has a right child y. Afterwards y stands where x stood, x is its left child.
void RbTreeCore::rotate_left(RbNode& x, AugmentFn augment)
{
    RbNode* y = x.m_right;
    KASSERT(y);
    x.m_right = y->m_left;
    if (y->m_left)
        y->m_left->m_parent = &x;
    y->m_parent = x.m_parent;
    replace_child(x.m_parent, x, y);
    y->m_left = &x;
    x.m_parent = y;
    if (augment) {
        augment(x); // the lower node first: y's summary reads x's
        augment(*y);
    }
}

// The mirror image: => x has a left child y, which takes x's place.
void RbTreeCore::rotate_right(RbNode& x, AugmentFn augment)
{
    RbNode* y = x.m_left;
    KASSERT(y);
    x.m_left = y->m_right;
    if (y->m_right)
        y->m_right->m_parent = &x;
    y->m_parent = x.m_parent;
    replace_child(x.m_parent, x, y);
    y->m_right = &x;
    x.m_parent = y;
    if (augment) {
        augment(x);
        augment(*y);
    }
}

void RbTreeCore::propagate(RbNode* node, AugmentFn augment)
{
    if (!augment)
        return;
    for (; node; node = node->m_parent)
        augment(*node);
}

void RbTreeCore::link_and_rebalance(RbNode& node, RbNode* parent, bool as_left, AugmentFn augment)
{
    KASSERT(!node.is_linked());
    KASSERT((parent == nullptr) == (m_root == nullptr));
    node.m_parent = parent;
    node.m_left = node.m_right = nullptr;
    node.m_color = RbColor::Red;
    if (!parent) {
        m_root = &node;
    } else if (as_left) {
        KASSERT(!parent->m_left);
        parent->m_left = &node;
    } else {
        KASSERT(!parent->m_right);
        parent->m_right = &node;
    }
    ++m_size;
    propagate(&node, augment); // every ancestor gained an element
    insert_fixup(&node, augment);
}

// => node is red and the only possible violation is node and parent both red.
void RbTreeCore::insert_fixup(RbNode* node, AugmentFn augment)
{
    while (is_red(node->m_parent)) {
        RbNode* parent = node->m_parent;
        RbNode* grand = parent->m_parent; // exists: a red node is not the root
        if (parent == grand->m_left) {
            RbNode* uncle = grand->m_right;
            if (is_red(uncle)) { // case 1: recolour, move the problem up
                parent->m_color = uncle->m_color = RbColor::Black;
                grand->m_color = RbColor::Red;
                node = grand;
                continue;
            }
            if (node == parent->m_right) { // case 2: make it case 3
                rotate_left(*parent, augment);
                node = parent;
                parent = node->m_parent;
            }
            parent->m_color = RbColor::Black; // case 3: one rotation ends it
            grand->m_color = RbColor::Red;
            rotate_right(*grand, augment);
        } else {
            RbNode* uncle = grand->m_left;
            if (is_red(uncle)) {
                parent->m_color = uncle->m_color = RbColor::Black;
                grand->m_color = RbColor::Red;
                node = grand;
                continue;
            }
            if (node == parent->m_left) {
                rotate_right(*parent, augment);
                node = parent;
                parent = node->m_parent;
            }
            parent->m_color = RbColor::Black;
            grand->m_color = RbColor::Red;
            rotate_left(*grand, augment);
        }
    }
    m_root->m_color = RbColor::Black;
}

void RbTreeCore::erase(RbNode& node, AugmentFn augment)
{
    KASSERT(node.is_linked() && m_size > 0);
    RbNode* child;        // what moved into the spliced position (may be null)
    RbNode* child_parent; // its parent afterwards
    RbColor spliced_color;
    if (!node.m_left || !node.m_right) {
        // At most one child: it takes node's place.
        child = node.m_left ? node.m_left : node.m_right;
        child_parent = node.m_parent;
        spliced_color = node.m_color;
        replace_child(node.m_parent, node, child);
        if (child)
            child->m_parent = child_parent;
    } else {
        // Two children: the successor s (leftmost on the right, no left
        // child) leaves its own position and takes node's, colour included.
        RbNode* s = leftmost(node.m_right);
        spliced_color = s->m_color;
        child = s->m_right;
        if (s->m_parent == &node) {
            child_parent = s; // s keeps its right subtree
        } else {
            child_parent = s->m_parent;
            child_parent->m_left = child;
            if (child)
                child->m_parent = child_parent;
            s->m_right = node.m_right;
            s->m_right->m_parent = s;
        }
        s->m_left = node.m_left;
        s->m_left->m_parent = s;
        s->m_parent = node.m_parent;
        replace_child(node.m_parent, node, s);
        s->m_color = node.m_color;
    }
    --m_size;
    mark_unlinked(node);
    // Every node from the splice point to the root lost an element (and s,
    // if it moved, has new children): recompute them before rotating.
    propagate(child_parent, augment);
    if (spliced_color == RbColor::Black)
        erase_fixup(child, child_parent, augment);
}

// => `child` (maybe null) below `parent` carries an extra black: paths through
// it have one black fewer than their siblings' paths.
void RbTreeCore::erase_fixup(RbNode* child, RbNode* parent, AugmentFn augment)
{
    while (child != m_root && !is_red(child)) {
        if (child == parent->m_left) {
            RbNode* sibling = parent->m_right; // non-null: it has black height >= 1
            if (is_red(sibling)) { // case 1: make the sibling black
                sibling->m_color = RbColor::Black;
                parent->m_color = RbColor::Red;
                rotate_left(*parent, augment);
                sibling = parent->m_right;
            }
            if (!is_red(sibling->m_left) && !is_red(sibling->m_right)) {
                sibling->m_color = RbColor::Red; // case 2: push the extra black up
                child = parent;
                parent = child->m_parent;
                continue;
            }
            if (!is_red(sibling->m_right)) { // case 3: make the far nephew red
                sibling->m_left->m_color = RbColor::Black;
                sibling->m_color = RbColor::Red;
                rotate_right(*sibling, augment);
                sibling = parent->m_right;
            }
            sibling->m_color = parent->m_color; // case 4: absorb it, done
            parent->m_color = RbColor::Black;
            sibling->m_right->m_color = RbColor::Black;
            rotate_left(*parent, augment);
            child = m_root;
        } else {
            RbNode* sibling = parent->m_left;
            if (is_red(sibling)) {
                sibling->m_color = RbColor::Black;
                parent->m_color = RbColor::Red;
                rotate_right(*parent, augment);
                sibling = parent->m_left;
            }
            if (!is_red(sibling->m_left) && !is_red(sibling->m_right)) {
                sibling->m_color = RbColor::Red;
                child = parent;
                parent = child->m_parent;
                continue;
            }
            if (!is_red(sibling->m_left)) {
                sibling->m_right->m_color = RbColor::Black;
                sibling->m_color = RbColor::Red;
                rotate_left(*sibling, augment);
                sibling = parent->m_left;
            }
            sibling->m_color = parent->m_color;
            parent->m_color = RbColor::Black;
            sibling->m_left->m_color = RbColor::Black;
            rotate_right(*parent, augment);
            child = m_root;
        }
    }
    if (child)
        child->m_color = RbColor::Black;
}

void RbTreeCore::clear(void (*fn)(RbNode& node, void* ctx), void* ctx)
{
    // Post-order without a stack: go down to a leaf, cut it off, hand it
    // out, resume at its parent. Each edge is walked down once and up once.
    RbNode* node = m_root;
    m_root = nullptr;
    m_size = 0;
    while (node) {
        if (node->m_left) {
            node = node->m_left;
        } else if (node->m_right) {
            node = node->m_right;
        } else {
            RbNode* parent = node->m_parent;
            if (parent) {
                if (parent->m_left == node)
                    parent->m_left = nullptr;
                else
                    parent->m_right = nullptr;
            }
            mark_unlinked(*node);
            fn(*node, ctx); // may free the element: do not touch node after
            node = parent;
        }
    }
}

RbNode* RbTreeCore::leftmost(RbNode* subtree)
{
    if (subtree)
        while (subtree->m_left)
            subtree = subtree->m_left;
    return subtree;
}

RbNode* RbTreeCore::rightmost(RbNode* subtree)
{
    if (subtree)
        while (subtree->m_right)
            subtree = subtree->m_right;
    return subtree;
}

// The successor: the leftmost node of the right subtree if there is one, else
// the first ancestor that we reach from its left side.
RbNode* RbTreeCore::next(const RbNode& node)
{
    KASSERT(node.is_linked());
    if (node.m_right)
        return leftmost(node.m_right);
    const RbNode* cur = &node;
    RbNode* parent = cur->m_parent;
    while (parent && cur == parent->m_right) {
        cur = parent;
        parent = parent->m_parent;
    }
    return parent;
}

RbNode* RbTreeCore::prev(const RbNode& node)
{
    KASSERT(node.is_linked());
    if (node.m_left)
        return rightmost(node.m_left);
    const RbNode* cur = &node;
    RbNode* parent = cur->m_parent;
    while (parent && cur == parent->m_left) {
        cur = parent;
        parent = parent->m_parent;
    }
    return parent;
}

bool RbTreeCore::contains(const RbNode& node) const
{
    if (!node.is_linked())
        return false;
    const RbNode* top = &node;
    while (top->m_parent)
        top = top->m_parent;
    return top == m_root;
}

namespace {

// Check the subtree at `node`; returns its black height, or -1 after
// setting `why`. `count` accumulates the number of nodes.
int check_subtree(const RbNode* node, size_t& count, const char*& why)
{
    if (!node)
        return 0;
    ++count;
    const RbNode* kids[2] = {node->left(), node->right()};
    int heights[2];
    for (int i = 0; i < 2; ++i) {
        if (kids[i] && kids[i]->parent() != node) {
            why = "child's parent link is wrong";
            return -1;
        }
        if (kids[i] && node->is_red() && kids[i]->is_red()) {
            why = "red node has a red child";
            return -1;
        }
        heights[i] = check_subtree(kids[i], count, why);
        if (heights[i] < 0)
            return -1;
    }
    if (heights[0] != heights[1]) {
        why = "black heights differ";
        return -1;
    }
    return heights[0] + (node->is_red() ? 0 : 1);
}

} // namespace

const char* RbTreeCore::validate_structure() const
{
    if (!m_root)
        return m_size == 0 ? nullptr : "empty tree with a non-zero size";
    if (m_root->m_parent != nullptr)
        return "root has a parent";
    if (m_root->is_red())
        return "root is red";
    size_t count = 0;
    const char* why = nullptr;
    if (check_subtree(m_root, count, why) < 0)
        return why;
    if (count != m_size)
        return "size counter does not match the node count";
    return nullptr;
}

} // namespace kern
