#include "input_files.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace identrail {
inline namespace v0 {

bool looks_like_log_file(std::string_view name) {
  for (const std::string_view ext : {".json", ".json.gz", ".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz", ".gz"})
    if (name.ends_with(ext)) return true;
  return false;
}

result<std::vector<std::string>> list_input_files(const std::string &path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (ec || !fs::exists(status)) return make_error(errc::not_found, path + ": no such file or directory");
  std::vector<std::string> files;
  if (fs::is_regular_file(status)) {
    files.push_back(path);
    return files;
  }
  if (!fs::is_directory(status)) return make_error(errc::invalid_argument, path + ": not a file or directory");
  for (auto it = fs::recursive_directory_iterator(path, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    // Digest files sit beside the logs in S3 exports but hold hashes, not events.
    if (it->is_directory(ec) && it->path().filename() == "CloudTrail-Digest") {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file(ec) && looks_like_log_file(it->path().filename().string()))
      files.push_back(it->path().string());
  }
  if (ec) return make_error(errc::io_error, path + ": " + ec.message());
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace v0
}  // namespace identrail

namespace identrail::detail {

result<std::string> read_whole_file(const std::string &path, std::size_t max_bytes, std::size_t spare) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(errc::io_error, path + ": cannot open: " + std::strerror(errno));
  in.seekg(0, std::ios::end);
  const auto end = in.tellg();
  if (end < 0) return make_error(errc::io_error, path + ": cannot determine the size");
  const auto size = static_cast<std::size_t>(end);
  if (size > max_bytes)
    return make_error(errc::limit_exceeded, path + ": " + std::to_string(size) + " bytes is over the input limit of " +
                                                std::to_string(max_bytes) + " bytes");
  try {
    std::string data;
    data.reserve(size + spare);
    data.resize(size);
    in.seekg(0, std::ios::beg);
    in.read(data.data(), static_cast<std::streamsize>(size));
    // A file that shrank while being read keeps what was there.
    data.resize(static_cast<std::size_t>(in.gcount()));
    if (in.bad()) return make_error(errc::io_error, path + ": read failed");
    return data;
  } catch (const std::bad_alloc &) {
    return make_error(errc::out_of_memory, path + ": out of memory reading " + std::to_string(size) + " bytes");
  }
}

}  // namespace identrail::detail
