#include "input_files.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <unordered_set>

namespace identrail {
inline namespace v0 {

namespace {

// "20260301T1305Z" from ".../111122223333_CloudTrail_us-east-1_20260301T1305Z_abc.json.gz", or "".
std::string_view delivery_time(std::string_view path) {
  const auto slash = path.rfind('/');
  const std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  const auto marker = name.find("_CloudTrail_");
  if (marker == std::string_view::npos) return {};
  const auto region_end = name.find('_', marker + 12);
  if (region_end == std::string_view::npos || region_end + 15 > name.size()) return {};
  const auto stamp = name.substr(region_end + 1, 14);
  return stamp[8] == 'T' && stamp[13] == 'Z' ? stamp : std::string_view{};
}

// S3 exports are laid out region by region; reading them in delivery-time
// order instead keeps events close to event-time order, which is what the
// detectors' lateness allowance is sized for.
bool by_delivery_then_name(const std::string &a, const std::string &b) {
  const auto ta = delivery_time(a), tb = delivery_time(b);
  return ta != tb ? ta < tb : a < b;
}

}  // namespace

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
  std::sort(files.begin(), files.end(), by_delivery_then_name);
  return files;
}

result<std::vector<std::string>> list_input_files(const std::vector<std::string> &paths) {
  std::vector<std::string> files;
  for (const auto &path : paths) {
    auto listed = list_input_files(path);
    if (!listed) return tl::unexpected(listed.error());
    files.insert(files.end(), std::make_move_iterator(listed->begin()), std::make_move_iterator(listed->end()));
  }
  // A file named twice (a directory and a glob inside it) is read once.
  std::unordered_set<std::string> seen;
  std::erase_if(files, [&](const std::string &f) {
    std::error_code ec;
    auto canonical = std::filesystem::weakly_canonical(f, ec).string();
    return !seen.insert(ec ? f : std::move(canonical)).second;
  });
  // Files without a delivery time come first, in the order they were named.
  std::stable_sort(files.begin(), files.end(),
                   [](const std::string &a, const std::string &b) { return delivery_time(a) < delivery_time(b); });
  return files;
}

}  // namespace v0
}  // namespace identrail

namespace identrail {
inline namespace v0 {
namespace detail {

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

}  // namespace detail
}  // namespace v0
}  // namespace identrail
