// Decoding on several threads (normalizer_options::threads) gives the answers
// of one thread: the same events in the same order, the same symbol ids, the
// same errors, duplicates, detections, graph and checkpoint.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "identrail/identrail.hpp"
#include "normalize/file_pieces.hpp"
#include "normalize/parallel_feed.hpp"
#include "support.hpp"

using namespace identrail;

namespace {

struct answers {
  std::string report;
  std::string events;
  std::string checkpoint;
};

answers answers_of(engine &e) {
  answers out;
  out.checkpoint = e.checkpoint().value();  // before finish: what a restart goes on from
  e.finish();
  out.report = report_json(e);
  for (const auto &ev : e.events()) {
    append_event_json(out.events, ev, e.symbols());
    out.events += '\n';
  }
  return out;
}

answers read_with(unsigned threads, const std::vector<std::string> &paths, std::size_t max_errors = 1000,
                  std::size_t max_input_bytes = normalizer_options{}.max_decompressed_bytes) {
  engine_options options;
  options.normalize.threads = threads;
  options.normalize.max_errors_kept = max_errors;
  options.normalize.max_decompressed_bytes = max_input_bytes;
  auto e = test::make_engine(std::move(options));
  std::vector<std::string> order;
  EXPECT_TRUE(e.feed_paths(paths, [&](const std::string &file) { order.push_back(file); }));
  EXPECT_EQ(order, list_input_files(paths).value());
  return answers_of(e);
}

// A file's bytes fed as one buffer named as the file: what reading it in pieces must answer.
answers read_as_one_buffer(const std::string &path, std::size_t max_errors = 1000) {
  engine_options options;
  options.normalize.max_errors_kept = max_errors;
  auto e = test::make_engine(std::move(options));
  EXPECT_TRUE(e.feed(test::read_file(path), path));
  return answers_of(e);
}

void expect_same(const answers &one, const answers &many, unsigned threads) {
  EXPECT_EQ(one.report, many.report) << threads << " threads";
  EXPECT_EQ(one.events, many.events) << threads << " threads";
  EXPECT_TRUE(one.checkpoint == many.checkpoint) << threads << " threads: checkpoints differ";
}

// Delivery files that repeat records across files (a duplicate must be caught
// in delivery order), with malformed lines and unreadable files among them.
std::string awkward_directory() {
  const auto dir = std::filesystem::temp_directory_path() / "identrail-parallel-decoding";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const auto lines = generate_traffic({.events = 6000, .identities = 300, .seed = 9});
  std::vector<std::string> records;
  for (std::size_t at = 0; at < lines.size();) {
    const auto end = lines.find('\n', at);
    records.push_back(lines.substr(at, end - at));
    at = end + 1;
  }
  for (std::size_t f = 0; f < 30; ++f) {
    std::string body;
    for (std::size_t i = f * 200; i < f * 200 + 200; ++i) body += records[i] + "\n";
    if (f > 0) body += records[f * 200 - 7] + "\n";                     // a repeat of the file before
    if (f % 4 == 1) body += "{\"eventTime\": \"2026-03-01T00:00:00Z\", oops}\n";  // malformed
    if (f % 5 == 2) body += "{\"eventName\":\"NoTime\"}\n";                // not a record
    char name[96];
    std::snprintf(name, sizeof name, "111122223333_CloudTrail_us-east-1_20260301T%02zu%02zuZ_x.json.gz", f / 6, f % 6 * 10);
    std::ofstream(dir / name, std::ios::binary) << test::gzip(body);
  }
  std::ofstream(dir / "111122223333_CloudTrail_us-east-1_20260301T0101Z_bad.json.gz", std::ios::binary) << "\x1f\x8b not gzip";
  return dir.string();
}

}  // namespace

TEST(ParallelDecoding, TheSampleReadsTheSameOnEveryThreadCount) {
  const auto one = read_with(1, {test::sample_dir()});
  for (const unsigned threads : {2u, 3u, 8u}) expect_same(one, read_with(threads, {test::sample_dir()}), threads);
}

TEST(ParallelDecoding, EveryFormatAndBadRecordReadsTheSame) {
  const std::vector<std::string> paths = {test::datasets(), std::string(IDENTRAIL_TEST_DATA) + "/formats",
                                          std::string(IDENTRAIL_TEST_DATA) + "/stratus"};
  const auto one = read_with(1, paths);
  ASSERT_EQ(one.report.find("\"rejected\":0,"), std::string::npos) << "the inputs must hold bad records";
  for (const unsigned threads : {2u, 4u}) expect_same(one, read_with(threads, paths), threads);
}

TEST(ParallelDecoding, RepeatsAcrossFilesAndErrorsPastTheLimitAreCountedInOrder) {
  const auto dir = awkward_directory();
  const auto one = read_with(1, {dir}, 5);
  EXPECT_NE(one.report.find("\"duplicates\":29"), std::string::npos) << one.report.substr(0, 400);
  for (const unsigned threads : {2u, 3u}) expect_same(one, read_with(threads, {dir}, 5), threads);
}

// One large JSON-lines file (an export), in pieces cut at line ends: bad
// lines anywhere, also where pieces meet, keep the file's own line numbers.
std::string large_json_lines_file() {
  const auto path = std::filesystem::temp_directory_path() / "identrail-large.jsonl";
  const auto lines = generate_traffic({.events = 13000, .identities = 500, .seed = 4});
  std::string body;
  std::size_t n = 0;
  for (std::size_t at = 0; at < lines.size(); ++n) {
    const auto end = lines.find('\n', at) + 1;
    body.append(lines, at, end - at - 1);
    body += n % 997 == 3 ? "\r\n" : "\n";
    if (n % 2503 == 7) body += "{\"eventTime\": \"2026-03-01T00:00:00Z\", oops}\n";
    if (n % 3001 == 11) body += "{\"eventName\": \"unterminated\n";
    if (n % 4001 == 13) body += "{\"eventName\":\"Bad\xff\",\"eventTime\":\"2026-03-01T00:00:00Z\"}\n";
    if (n % 1999 == 17) body += "\n";
    at = end;
  }
  std::ofstream(path, std::ios::binary) << body;
  return path.string();
}

TEST(ParallelDecoding, OneLargeFileInPiecesReadsTheSame) {
  const auto file = large_json_lines_file();
  ASSERT_GT(std::filesystem::file_size(file), 2 * detail::file_pieces::kPieceBytes);
  const auto one = read_with(1, {file});
  ASSERT_NE(one.report.find("line "), std::string::npos) << "the file must hold bad lines";
  for (const unsigned threads : {2u, 3u}) expect_same(one, read_with(threads, {file}), threads);
  // The same records as one pretty-printed document and gzipped: one piece each.
  const auto gz = file + ".gz";
  std::ofstream(gz, std::ios::binary) << test::gzip(test::read_file(file));
  const auto zipped = read_with(1, {gz});
  expect_same(zipped, read_with(2, {gz}), 2);
}

// Every line starting within 300 KB of the middle cut in half: wherever the
// middle piece begins, its first line is malformed. `good` counts the others.
std::string file_with_a_bad_middle(std::size_t &good) {
  const auto path = (std::filesystem::temp_directory_path() / "identrail-bad-middle.jsonl").string();
  const auto lines = generate_traffic({.events = 13000, .identities = 500, .seed = 5});
  const std::size_t middle = lines.size() / 2, band = 300'000;
  std::string body;
  good = 0;
  for (std::size_t at = 0; at < lines.size();) {
    const auto end = lines.find('\n', at);
    const auto line = std::string_view(lines).substr(at, end - at);
    const bool cut = at + band > middle && at < middle + band;
    body.append(cut ? line.substr(0, line.size() / 2) : line).append("\n");
    good += cut ? 0 : 1;
    at = end + 1;
  }
  std::ofstream(path, std::ios::binary) << body;
  return path;
}

// A piece whose first line is malformed is still JSON lines: the file's first
// line said so. (Judged by its own first line, the piece read as one document
// and was rejected whole, with the good lines in it.)
TEST(ParallelDecoding, APieceThatStartsWithABadLineLosesOnlyItsBadLines) {
  std::size_t good = 0;
  const auto path = file_with_a_bad_middle(good);
  ASSERT_GE(std::filesystem::file_size(path), 2 * detail::file_pieces::kPieceBytes);
  const auto one = read_with(1, {path}, 10);
  EXPECT_NE(one.report.find("\"accepted\":" + std::to_string(good) + ","), std::string::npos)
      << one.report.substr(0, 300);
  for (const unsigned threads : {2u, 3u}) expect_same(one, read_with(threads, {path}, 10), threads);
}

// A large JSON-lines file is read a piece of whole lines at a time, on one
// thread or several: the answers, errors and their lines included, are those
// of its bytes read as one buffer.
TEST(ParallelDecoding, AFileReadInPiecesAnswersAsOneBuffer) {
  const auto file = large_json_lines_file();
  ASSERT_GT(std::filesystem::file_size(file), 2 * detail::file_pieces::kPieceBytes);
  const auto whole = read_as_one_buffer(file, 10);
  ASSERT_NE(whole.report.find("line "), std::string::npos) << "the file must hold bad lines";
  for (const unsigned threads : {1u, 2u}) expect_same(whole, read_with(threads, {file}, 10), threads);
  // Threads read it as one thread does (APieceThatStartsWithABadLine...).
  std::size_t good = 0;
  const auto bad_middle = file_with_a_bad_middle(good);
  expect_same(read_as_one_buffer(bad_middle, 10), read_with(1, {bad_middle}, 10), 1);
}

// A JSON-lines file larger than the input limit is read (it used to be
// refused whole), also when it starts with blank lines; a line longer than the
// limit is refused with its line and byte, and the lines after it are read.
// One longer than a piece, or the last line, is passed over unread, so memory
// stays bounded by the pieces.
TEST(ParallelDecoding, OnlyALineOverTheInputLimitIsRefused) {
  const auto path = (std::filesystem::temp_directory_path() / "identrail-long-lines.jsonl").string();
  const auto lines = generate_traffic({.events = 13000, .identities = 500, .seed = 6});
  const auto long_line = [](std::size_t bytes) { return "{\"eventName\": \"" + std::string(bytes, 'x') + "\"}\n"; };
  const std::size_t limit = std::size_t{4} << 20;
  const auto third = lines.find('\n', lines.size() / 3) + 1, two_thirds = lines.find('\n', 2 * lines.size() / 3) + 1;
  const auto last_line = long_line(limit + 10);
  const std::string body = "\n\n" + lines.substr(0, third) + long_line(limit + 1000) +
                           lines.substr(third, two_thirds - third) + long_line(detail::file_pieces::kPieceBytes + 1000) +
                           lines.substr(two_thirds) + last_line.substr(0, last_line.size() - 1);
  std::ofstream(path, std::ios::binary) << body;
  const auto location = [&](std::size_t byte) {
    const auto line = std::count(body.begin(), body.begin() + static_cast<std::ptrdiff_t>(byte), '\n') + 1;
    return "line " + std::to_string(line) + " (byte " + std::to_string(byte) + ")";
  };
  const auto first_long = third + 2, second_long = first_long + (two_thirds - third) + long_line(limit + 1000).size();
  const auto last_long = body.size() - (last_line.size() - 1);
  ASSERT_GT(body.size(), 4 * limit);
  const auto one = read_with(1, {path}, 10, limit);
  EXPECT_NE(one.report.find("\"accepted\":13000,"), std::string::npos) << one.report.substr(0, 300);
  // Shorter than a piece, it is refused by the parser, or passed over when a piece begins with it.
  EXPECT_NE(one.report.find(location(first_long)), std::string::npos) << one.report.substr(0, 900);
  for (const auto at : {second_long, last_long})
    EXPECT_NE(one.report.find(location(at) + " is longer than the input limit of " + std::to_string(limit) +
                              " bytes: it is not read"),
              std::string::npos)
        << at << ": " << one.report.substr(0, 900);
  expect_same(one, read_with(2, {path}, 10, limit), 2);
}

// A sink that stops the input stops the rest of its file, on every thread count.
TEST(ParallelDecoding, ASinkThatStopsStopsTheRestOfItsFile) {
  const auto file = large_json_lines_file();
  std::vector<std::size_t> seen;
  for (const unsigned threads : {1u, 2u}) {
    symbol_table symbols;
    normalizer_options options;
    options.threads = threads;
    normalizer decode(symbols, options);
    std::size_t n = 0;
    ASSERT_TRUE(decode.feed_paths({file}, [&](const event &) { return ++n < 100; }));
    seen.push_back(n);
  }
  EXPECT_EQ(seen[0], 100u);
  EXPECT_EQ(seen[1], seen[0]);
}

TEST(ParallelDecoding, WorkersThatStartNewTablesReadTheSame) {
  const auto one = read_with(1, {test::sample_dir()});
  const auto limit = detail::worker_table_bytes.exchange(1);  // a new table for every input
  const auto many = read_with(2, {test::sample_dir()});
  detail::worker_table_bytes = limit;
  expect_same(one, many, 2);
}

TEST(ParallelDecoding, BuffersInMemoryToo) {
  const auto lines = generate_traffic({.events = 3000, .identities = 50});
  std::vector<std::string> parts(1);
  for (std::size_t at = 0, n = 0; at < lines.size(); ++n) {
    const auto end = lines.find('\n', at) + 1;
    if (n % 100 == 99) parts.emplace_back();
    parts.back().append(lines, at, end - at);
    at = end;
  }
  ASSERT_GT(parts.size(), 4u);
  std::vector<input_buffer> inputs;
  for (std::size_t i = 0; i < parts.size(); ++i) inputs.push_back({parts[i], "part", 0});
  std::string reports[2];
  for (const unsigned threads : {1u, 2u}) {
    engine_options options;
    options.normalize.threads = threads;
    auto e = test::make_engine(std::move(options));
    const auto read = e.feed_buffers(inputs);
    ASSERT_TRUE(read) << read.error().message;
    EXPECT_EQ(*read, 3000u);
    e.finish();
    reports[threads - 1] = report_json(e);
  }
  EXPECT_EQ(reports[0], reports[1]);
}

TEST(ParallelDecoding, ThreadsOutOfRangeAreRefused) {
  engine_options options;
  options.normalize.threads = 0;
  const auto refused = engine::create(options);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("threads"), std::string::npos);
}
