// tests/host/fs/ffs/ffs_model.h -- the reference model of the FFS model test
// (ffs_model_test.cpp): a tree of nodes kept by id -- files with their
// bytes, directories with their names, symlinks, FIFOs, link counts and
// parents -- that says what the kernel's FFS must answer to each
// operation. Kept by id, not by path, so that two names of one file and a
// directory's rename need no rewriting of a subtree.
#pragma once

#include "ffs_kernel_fixture.h"

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace ffskt::model {

constexpr u64 BSIZE = 4096;
constexpr u64 SINGLE_START = FFS_NDADDR * BSIZE;         // first byte behind the single indirect block
constexpr u64 DOUBLE_START = (FFS_NDADDR + 1024) * BSIZE; // ... behind the double indirect block
constexpr u64 MAX_MODEL_SIZE = DOUBLE_START + 512 * 1024;  // files stay below this

enum class Kind { File, Dir, Symlink, Fifo };

struct MNode {
    Kind kind = Kind::File;
    std::string data;                    // File: its bytes; Symlink: its target
    std::map<std::string, int> entries;  // Dir: name -> node id, without "." and ".."
    int parent = -1;                     // Dir: the directory holding it (the root: itself)
    u32 nlink = 1;
    u64 ino = 0;                         // the kernel's inode number
};

// The reference file system.
struct Model {
    static constexpr int ROOT = 0;
    std::map<int, MNode> nodes;
    int next_id = 1;

    // A directory and the names leading to it from the root.
    struct Place {
        std::vector<std::string> path;
        int id;
    };
    // A name in a directory.
    struct Entry {
        Place dir;
        std::string name;
        int id;
    };

    MNode& at(int id) { return nodes.at(id); }
    const MNode& at(int id) const { return nodes.at(id); }
    bool is_dir(int id) const { return at(id).kind == Kind::Dir; }

    int add(MNode node)
    {
        nodes.emplace(next_id, std::move(node));
        return next_id++;
    }
    // A name went: the node goes with its last one.
    void drop_link(int id)
    {
        if (--at(id).nlink == 0)
            nodes.erase(id);
    }
    // Is `dir` `ancestor` or below it?
    bool within(int dir, int ancestor) const
    {
        for (;;) {
            if (dir == ancestor)
                return true;
            if (dir == ROOT)
                return false;
            dir = at(dir).parent;
        }
    }
    // Every directory (depth first, in name order: deterministic).
    std::vector<Place> dirs() const
    {
        std::vector<Place> out;
        collect_dirs({{}, ROOT}, out);
        return out;
    }
    std::vector<Entry> entries() const
    {
        std::vector<Entry> out;
        for (const Place& d : dirs())
            for (auto& [name, id] : at(d.id).entries)
                out.push_back({d, name, id});
        return out;
    }
    // The directories at or below `top`.
    std::vector<Place> dirs_below(const Place& top) const
    {
        std::vector<Place> out;
        collect_dirs(top, out);
        return out;
    }

private:
    void collect_dirs(const Place& here, std::vector<Place>& out) const
    {
        out.push_back(here);
        for (auto& [name, id] : at(here.id).entries) {
            if (!is_dir(id))
                continue;
            Place below = here;
            below.path.push_back(name);
            below.id = id;
            collect_dirs(below, out);
        }
    }
};

} // namespace ffskt::model
