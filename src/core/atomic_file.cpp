#include "atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace identrail {
inline namespace v0 {
namespace detail {
namespace {

error os_error(const std::string &path, const char *call) {
  return error{errc::io_error, path + ": " + call + ": " + std::strerror(errno)};
}

// Closes on every path out, so an error leaves no descriptor behind.
struct descriptor {
  int fd = -1;
  ~descriptor() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

result<void> write_file_atomically(const std::string &path, std::string_view bytes, unsigned mode) {
  const std::filesystem::path target(path);
  const auto dir = target.has_parent_path() ? target.parent_path() : std::filesystem::path(".");
  const std::string temp = (dir / ("." + target.filename().string() + ".tmp." + std::to_string(::getpid()))).string();
  {
    descriptor file{::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, static_cast<mode_t>(mode))};
    if (file.fd < 0) return tl::unexpected(os_error(path, "cannot create a temporary file beside it"));
    // The mode given at creation is masked by the umask; the state file must be private whatever it is.
    if (::fchmod(file.fd, static_cast<mode_t>(mode)) != 0) return tl::unexpected(os_error(temp, "fchmod"));
    for (std::size_t done = 0; done < bytes.size();) {
      const auto n = ::write(file.fd, bytes.data() + done, bytes.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        const auto failure = os_error(temp, "write");
        ::unlink(temp.c_str());
        return tl::unexpected(failure);
      }
      done += static_cast<std::size_t>(n);
    }
    if (::fsync(file.fd) != 0) {
      const auto failure = os_error(temp, "fsync");
      ::unlink(temp.c_str());
      return tl::unexpected(failure);
    }
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const auto failure = os_error(path, "rename");
    ::unlink(temp.c_str());
    return tl::unexpected(failure);
  }
  descriptor directory{::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
  if (directory.fd < 0 || ::fsync(directory.fd) != 0) return tl::unexpected(os_error(dir.string(), "fsync"));
  return {};
}

}  // namespace detail
}  // namespace v0
}  // namespace identrail
