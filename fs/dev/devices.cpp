// fs/dev/devices.cpp -- registering the character devices at boot, and the console File.
#include <fs/dev/devices.h>
#include <fs/dev/tty.h>
#include <fs/vfs/device.h>

namespace dev {

namespace {
bool s_ready;
}

void init()
{
    MUST(tty_init());
    MUST(memory_devices_init());
    s_ready = true;
}

kern::ErrorOr<fs::File*> open_console()
{
    if (!s_ready)
        return kern::Errno::ENXIO;
    return fs::File::create(console_tty(), fs::O_RDWR);
}

} // namespace dev
