// tests/host/shim/host_prelude.h -- included first in every host test build unit.
//
// The kernel's Errno enumerators have Linux's names (Errno::ENOENT), which
// libc defines as macros. kernel/base/lib/errno.h #undefs them on the host, and
// libstdc++ headers included *after* that would break (they use ERANGE,
// EINTR, ...). So the host build pre-includes (-include, tests/host/host.mk)
// every standard header the tests use, before any kernel header: their
// include guards then keep them from being read again with the macros gone.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>
