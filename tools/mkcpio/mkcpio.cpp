// tools/mkcpio/mkcpio.cpp -- write a cpio "newc" archive from a spec file.
//
//   build/tools/mkcpio SPEC OUT.cpio        (SPEC "-" reads standard input)
//
// A host tool (ordinary C++ with the standard library), in the spirit of
// Linux's usr/gen_init_cpio.c: the archive's contents are described line by
// line, so the build needs no root privileges to make /dev nodes or files
// owned by root, and no staging directory. One entry per line:
//
//   dir   PATH MODE [UID GID]                 a directory
//   file  PATH HOSTFILE MODE [UID GID]        a regular file, copied from HOSTFILE
//   slink PATH TARGET [MODE UID GID]          a symbolic link (mode 0777 if omitted)
//   nod   PATH MODE c|b MAJOR MINOR           a character or block device
//   pipe  PATH MODE [UID GID]                 a fifo
//   # a comment; blank lines are ignored
//
// MODE is octal permission bits (the type comes from the keyword); UID and
// GID default to 0. PATHs are absolute or relative to the archive's root
// (a leading "/" is dropped, as gen_init_cpio does). A PATH may appear once.
//
// Output is deterministic: entries in spec order, inode numbers counted from
// 721 (gen_init_cpio's start), mtime 0 or $SOURCE_DATE_EPOCH, the trailer,
// then NULs to a multiple of 512 bytes. The newc layout is drawn in
// fs/cpio/cpio.h; the kernel reads it in kernel/top/initramfs.cpp. Errors name
// the spec line and exit with status 1; the output is written to OUT.tmp and
// renamed, so a failed run leaves no half archive. See docs/initramfs.md.
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

constexpr uint32_t S_IFMT_ = 0170000, S_IFDIR_ = 0040000, S_IFREG_ = 0100000,
                   S_IFLNK_ = 0120000, S_IFCHR_ = 0020000, S_IFBLK_ = 0060000,
                   S_IFIFO_ = 0010000;

struct SpecError {
    std::string message;
};

// One archive entry before it is written.
struct Entry {
    std::string name;
    uint32_t mode = 0;  // type | permissions
    uint32_t uid = 0, gid = 0;
    uint32_t rdev_major = 0, rdev_minor = 0;
    std::string data;   // file contents or symlink target
};

class CpioWriter {
public:
    explicit CpioWriter(uint32_t mtime) : m_mtime(mtime) {}

    void add(const Entry& e)
    {
        uint32_t nlink = (e.mode & S_IFMT_) == S_IFDIR_ ? 2 : 1;
        header(m_ino++, e.mode, e.uid, e.gid, nlink, e.data.size(), e.rdev_major, e.rdev_minor,
               e.name);
        m_out += e.data;
        pad(4);
    }
    // The trailer, then NULs to a multiple of 512 (gen_init_cpio's habit).
    const std::string& finish()
    {
        header(0, 0, 0, 0, 1, 0, 0, 0, "TRAILER!!!");
        pad(512);
        return m_out;
    }

private:
    void header(uint32_t ino, uint32_t mode, uint32_t uid, uint32_t gid, uint32_t nlink,
                uint64_t filesize, uint32_t rmaj, uint32_t rmin, const std::string& name)
    {
        if (filesize > 0xffffffffu)
            throw SpecError{name + ": larger than 4 GiB, which newc cannot record"};
        const uint32_t fields[13] = {ino, mode, uid, gid, nlink, m_mtime, uint32_t(filesize),
                                     0, 0, rmaj, rmin, uint32_t(name.size() + 1), 0};
        m_out += "070701";
        char hex[9];
        for (uint32_t f : fields) {
            std::snprintf(hex, sizeof hex, "%08X", f);
            m_out += hex;
        }
        m_out += name;
        m_out += '\0';
        pad(4);
    }
    void pad(size_t align) { m_out.append((align - m_out.size() % align) % align, '\0'); }

    std::string m_out;
    uint32_t m_ino = 721;
    uint32_t m_mtime;
};

uint32_t parse_number(const std::string& word, int base, const char* what)
{
    char* end = nullptr;
    errno = 0;
    unsigned long v = std::strtoul(word.c_str(), &end, base);
    if (word.empty() || *end != '\0' || errno != 0 || v > 0xffffffffu || word[0] == '-')
        throw SpecError{std::string("bad ") + what + " '" + word + "'"};
    return uint32_t(v);
}

uint32_t parse_mode(const std::string& word)
{
    uint32_t mode = parse_number(word, 8, "octal mode");
    if (mode > 07777)
        throw SpecError{"mode '" + word + "' has bits above 07777"};
    return mode;
}

// The archive name for a spec PATH: no leading "/", not empty, no "..".
std::string archive_name(const std::string& path)
{
    size_t start = path.find_first_not_of('/');
    if (start == std::string::npos)
        throw SpecError{"path '" + path + "' names the root"};
    std::string name = path.substr(start);
    std::istringstream parts(name);
    for (std::string part; std::getline(parts, part, '/');)
        if (part == "..")
            throw SpecError{"path '" + path + "' has a '..' component"};
    return name;
}

std::string read_host_file(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw SpecError{"cannot read '" + path + "': " + std::strerror(errno)};
    std::ostringstream data;
    data << in.rdbuf();
    return data.str();
}

// Optional trailing "UID GID" from words[from].
void parse_owner(const std::vector<std::string>& w, size_t from, Entry& e)
{
    if (w.size() <= from)
        return;
    if (w.size() != from + 2)
        throw SpecError{"expected UID GID after the mode"};
    e.uid = parse_number(w[from], 10, "uid");
    e.gid = parse_number(w[from + 1], 10, "gid");
}

void check_words(const std::vector<std::string>& w, size_t least, size_t most, const char* usage)
{
    if (w.size() < least || w.size() > most)
        throw SpecError{std::string("usage: ") + usage};
}

// One spec line (already split into words, at least one) to an entry.
Entry parse_line(const std::vector<std::string>& w)
{
    Entry e;
    const std::string& kind = w[0];
    if (kind == "dir") {
        check_words(w, 3, 5, "dir PATH MODE [UID GID]");
        e.mode = S_IFDIR_ | parse_mode(w[2]);
        parse_owner(w, 3, e);
    } else if (kind == "file") {
        check_words(w, 4, 6, "file PATH HOSTFILE MODE [UID GID]");
        e.mode = S_IFREG_ | parse_mode(w[3]);
        e.data = read_host_file(w[2]);
        parse_owner(w, 4, e);
    } else if (kind == "slink") {
        check_words(w, 3, 6, "slink PATH TARGET [MODE UID GID]");
        e.mode = S_IFLNK_ | (w.size() > 3 ? parse_mode(w[3]) : 0777);
        e.data = w[2];
        parse_owner(w, 4, e);
    } else if (kind == "nod") {
        check_words(w, 6, 6, "nod PATH MODE c|b MAJOR MINOR");
        if (w[3] != "c" && w[3] != "b")
            throw SpecError{"device type '" + w[3] + "' is not c or b"};
        e.mode = (w[3] == "c" ? S_IFCHR_ : S_IFBLK_) | parse_mode(w[2]);
        e.rdev_major = parse_number(w[4], 10, "major");
        e.rdev_minor = parse_number(w[5], 10, "minor");
    } else if (kind == "pipe") {
        check_words(w, 3, 5, "pipe PATH MODE [UID GID]");
        e.mode = S_IFIFO_ | parse_mode(w[2]);
        parse_owner(w, 3, e);
    } else {
        throw SpecError{"unknown entry type '" + kind + "'"};
    }
    e.name = archive_name(w[1]);
    return e;
}

// The whole spec to an archive. Errors are "SPEC:LINE: message".
std::string build_archive(std::istream& spec, const std::string& spec_name, uint32_t mtime)
{
    CpioWriter writer(mtime);
    std::set<std::string> seen;
    std::string line;
    for (int number = 1; std::getline(spec, line); ++number) {
        std::istringstream words(line);
        std::vector<std::string> w;
        for (std::string word; words >> word;)
            w.push_back(word);
        if (w.empty() || w[0][0] == '#')
            continue;
        try {
            Entry e = parse_line(w);
            if (!seen.insert(e.name).second)
                throw SpecError{"'" + e.name + "' appears twice"};
            writer.add(e);
        } catch (const SpecError& error) {
            throw SpecError{spec_name + ":" + std::to_string(number) + ": " + error.message};
        }
    }
    return writer.finish();
}

uint32_t archive_mtime()
{
    const char* epoch = std::getenv("SOURCE_DATE_EPOCH");
    return epoch && *epoch ? parse_number(epoch, 10, "SOURCE_DATE_EPOCH") : 0;
}

void write_file(const std::string& path, const std::string& bytes)
{
    std::string tmp = path + ".tmp";
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), std::streamsize(bytes.size()));
    out.close();
    if (!out || std::rename(tmp.c_str(), path.c_str()) != 0) {
        std::remove(tmp.c_str());
        throw SpecError{"cannot write '" + path + "': " + std::strerror(errno)};
    }
}

} // namespace

int main(int argc, char** argv)
{
    if (argc != 3) {
        std::cerr << "usage: mkcpio SPEC|- OUT.cpio\n";
        return 2;
    }
    try {
        std::string spec_name = argv[1];
        std::ifstream file;
        if (spec_name != "-") {
            file.open(spec_name);
            if (!file)
                throw SpecError{"cannot read '" + spec_name + "': " + std::strerror(errno)};
        }
        std::istream& spec = spec_name == "-" ? std::cin : file;
        write_file(argv[2], build_archive(spec, spec_name, archive_mtime()));
    } catch (const SpecError& error) {
        std::cerr << "mkcpio: " << error.message << "\n";
        return 1;
    }
    return 0;
}
