// fs/ffs/ffs_dir.cpp -- one directory block's entries: the check, the walks,
// add (split a slack) and remove (join to the previous entry): see ffs_dir.h.
//
// Two facts carry the whole file:
//
// - dir_block_check is the only function that distrusts the bytes. It walks
//   each chunk from its start and, before it reads an entry's header, knows
//   that at least ffs_dirsiz(0) = 12 bytes remain in the chunk; before it
//   reads a name, that the record (inside the chunk) holds the name and its
//   NUL. So no bytes at all make it read outside the block. Everything else
//   trusts a checked block: every d_reclen is then a nonzero multiple of 4
//   that ends inside its chunk, so each walk moves forward and stops at the
//   chunk's end.
//
// - Entries never move (readdir's cookies are byte offsets, ffs_dir.h), so
//   add only ever writes into a record's slack or an unused first entry, and
//   remove only changes d_reclen of the entry before. Both zero the bytes
//   they hand over, so the slack of a block written here is always zeros and
//   no removed name lingers on the image.
//
// Read: 4.4BSD ufs_lookup.c (ufs_dirbadentry, ufs_direnter, ufs_dirremove)
// for the shape of the checks and of the split and join; our own code.
#include <fs/ffs/ffs_dir.h>

#include <kernel/base/lib/assert.h>
#include <kernel/base/lib/string.h>

namespace fs::ffs {

// The smallest record any entry can have, ffs_dirsiz(0): a header and a
// NUL, to 4 bytes (fsck_ffs's lower bound too).
static constexpr u32 MIN_RECLEN = FFS_DIRECT_HEADER + 4u;

// ---- the check ---------------------------------------------------------

// Is the name of the live entry `d`, whose record of `reclen` bytes lies
// inside its chunk, sound? Returns nullptr, or the reason it is not.
static const char* check_name(const ffs_direct& d, u32 reclen)
{
    if (d.d_namlen == 0)
        return "a live entry has an empty name";
    if (ffs_dirsiz(d.d_namlen) > reclen)
        return "a name runs past its entry's record length";
    // From here on d_name[0..d_namlen] lies inside the record.
    if (d.d_name[d.d_namlen] != '\0')
        return "a name is not NUL-terminated";
    for (u32 i = 0; i < d.d_namlen; i++) {
        if (d.d_name[i] == '/')
            return "a name contains '/'";
        if (d.d_name[i] == '\0')
            return "a name contains a NUL";
    }
    return nullptr;
}

// Check the FFS_DIRBLKSIZ bytes at `chunk`. Returns nullptr if sound, else
// the reason.
static const char* check_chunk(const u8* chunk, u32 ninodes)
{
    u32 off = 0;
    while (off < FFS_DIRBLKSIZ) {
        // off is a multiple of 4 here, and the header is 8 bytes: make sure
        // a whole entry could still start here before reading it.
        if (FFS_DIRBLKSIZ - off < MIN_RECLEN)
            return "the entries leave a gap at the chunk's end";
        const ffs_direct& d = dir_entry_at(chunk, off);
        u32 reclen = d.d_reclen;
        if (reclen % 4 != 0)
            return "a record length is not a multiple of 4";
        if (reclen < MIN_RECLEN)
            return "a record length is too short for any entry";
        if (reclen > FFS_DIRBLKSIZ - off)
            return "a record runs past the end of its chunk";
        if (d.d_ino == 0) {
            if (off != 0)
                return "an unused entry is not its chunk's first";
        } else {
            if (d.d_ino >= ninodes)
                return "an entry names an inode out of range";
            if (const char* why = check_name(d, reclen))
                return why;
        }
        off += reclen;
    }
    return nullptr;
}

const char* dir_block_check(const u8* block, u32 bsize, u32 ninodes)
{
    if (bsize == 0 || bsize % FFS_DIRBLKSIZ != 0)
        return "the block size is not a multiple of the directory chunk";
    for (u32 chunk = 0; chunk < bsize; chunk += FFS_DIRBLKSIZ)
        if (const char* why = check_chunk(block + chunk, ninodes))
            return why;
    return nullptr;
}

// ---- making blocks ----------------------------------------------------

// Write the entry `name` -> `ino` as the record of `reclen` bytes at `off`,
// its name NUL-terminated and every other byte of the record zero.
static void put_entry(u8* block, u32 off, u32 reclen, StringView name, u32 ino, u8 type)
{
    memset(block + off, 0, reclen);
    ffs_direct& d = dir_entry_at(block, off);
    d.d_ino = ino;
    d.d_reclen = u16(reclen);
    d.d_type = type;
    d.d_namlen = u8(name.length());
    memcpy(d.d_name, name.characters(), name.length());
}

void dir_block_init(u8* block, u32 bsize)
{
    memset(block, 0, bsize);
    for (u32 chunk = 0; chunk < bsize; chunk += FFS_DIRBLKSIZ)
        dir_entry_at(block, chunk).d_reclen = u16(FFS_DIRBLKSIZ);
}

void dir_block_init_first(u8* block, u32 bsize, u32 self, u32 parent)
{
    dir_block_init(block, bsize);
    u32 dot = ffs_dirsiz(1);
    put_entry(block, 0, dot, ".", self, FFS_DT_DIR);
    put_entry(block, dot, FFS_DIRBLKSIZ - dot, "..", parent, FFS_DT_DIR);
}

// ---- walks -------------------------------------------------------------

// The offset of the first live entry, in block order from the chunk at
// `first_chunk` on, for which wanted(offset, entry) is true; -1 if none.
// => block checked; first_chunk a multiple of FFS_DIRBLKSIZ.
template<typename Wanted>
static i64 find_live(const u8* block, u32 bsize, u32 first_chunk, Wanted wanted)
{
    for (u32 chunk = first_chunk; chunk < bsize; chunk += FFS_DIRBLKSIZ) {
        u32 off = chunk;
        while (off < chunk + FFS_DIRBLKSIZ) {
            const ffs_direct& d = dir_entry_at(block, off);
            if (d.d_ino != 0 && wanted(off, d))
                return off;
            off += d.d_reclen;
        }
    }
    return -1;
}

static bool has_name(const ffs_direct& d, StringView name)
{
    return d.d_namlen == name.length() && memcmp(d.d_name, name.characters(), d.d_namlen) == 0;
}

i64 dir_block_find(const u8* block, u32 bsize, StringView name)
{
    return find_live(block, bsize, 0, [&](u32, const ffs_direct& d) { return has_name(d, name); });
}

i64 dir_block_next(const u8* block, u32 bsize, u32 from)
{
    // `from` need not be an entry's start: walk its chunk from the chunk's
    // start, where entries are known to begin.
    u32 first_chunk = from - from % FFS_DIRBLKSIZ;
    return find_live(block, bsize, first_chunk, [&](u32 off, const ffs_direct&) {
        return off >= from;
    });
}

bool dir_block_has_names(const u8* block, u32 bsize)
{
    return find_live(block, bsize, 0, [](u32, const ffs_direct& d) {
               return !has_name(d, ".") && !has_name(d, "..");
           }) >= 0;
}

// ---- add and remove ----------------------------------------------------

i64 dir_block_add(u8* block, u32 bsize, StringView name, u32 ino, u8 type)
{
    KASSERT(name.length() > 0 && name.length() <= FFS_MAXNAMLEN && ino != 0);
    u32 need = ffs_dirsiz(u32(name.length()));
    for (u32 chunk = 0; chunk < bsize; chunk += FFS_DIRBLKSIZ) {
        u32 off = chunk;
        while (off < chunk + FFS_DIRBLKSIZ) {
            ffs_direct& d = dir_entry_at(block, off);
            u32 reclen = d.d_reclen;
            if (d.d_ino == 0) {
                // A chunk's unused first entry: the name takes it in place.
                if (reclen >= need) {
                    put_entry(block, off, reclen, name, ino, type);
                    return off;
                }
            } else {
                // A live entry: split its slack off if the name fits there.
                u32 used = ffs_dirsiz(d.d_namlen);
                if (reclen - used >= need) {
                    d.d_reclen = u16(used);
                    put_entry(block, off + used, reclen - used, name, ino, type);
                    return off + used;
                }
            }
            off += reclen;
        }
    }
    return -1;
}

void dir_block_remove(u8* block, u32 bsize, u32 off)
{
    KASSERT(off < bsize && dir_entry_at(block, off).d_ino != 0);
    u32 chunk = off - off % FFS_DIRBLKSIZ;
    u32 reclen = dir_entry_at(block, off).d_reclen;
    if (off == chunk) {
        // Nothing before it to join: keep the record, unused and blank.
        memset(block + off, 0, reclen);
        dir_entry_at(block, off).d_reclen = u16(reclen);
        return;
    }
    u32 prev = chunk;
    while (prev + dir_entry_at(block, prev).d_reclen != off) {
        prev += dir_entry_at(block, prev).d_reclen;
        KASSERT(prev < off); // `off` was an entry's start
    }
    memset(block + off, 0, reclen);
    dir_entry_at(block, prev).d_reclen = u16(dir_entry_at(block, prev).d_reclen + reclen);
}

} // namespace fs::ffs
