// Checkpoints: a run stopped anywhere, checkpointed, restored into a fresh
// engine and fed the rest gives exactly the answers of one uninterrupted run;
// a bad checkpoint is refused with the reason, never half restored.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <zlib.h>

#include <csignal>
#include <cstring>
#include <filesystem>
#include <random>
#include <set>

#include "support.hpp"

using namespace identrail;

namespace {

const std::string admin = "arn:aws:iam::111122223333:user/ops-admin";
const std::string instance_role = "arn:aws:iam::111122223333:role/webapp-ec2-role";

// Every answer an engine gives: the report (counts, errors, detections,
// identities with status and risk, the whole graph) and two generated policies.
std::string answers(const engine &e) {
  std::string out = report_json(e);
  for (const auto &who : {admin, instance_role}) {
    const auto policy = least_privilege_policy(e.evidence(), who);
    out += "\n" + (policy ? to_json(*policy) : policy.error().message);
  }
  return out;
}

std::set<std::string> standing(const engine &e) {
  std::set<std::string> out;
  for (const auto &d : e.detections()) {
    std::string line = d.id + " " + d.rule_id + " " + std::to_string(d.count) + " " + format_rfc3339(d.first_seen) + " " +
                       format_rfc3339(d.last_seen);
    for (const auto &id : d.event_ids) line += " " + id;
    out.insert(line);
  }
  return out;
}

std::vector<std::string> files_of(const std::string &dir) {
  auto listed = list_input_files(dir);
  EXPECT_TRUE(listed);
  return listed ? *listed : std::vector<std::string>{};
}

std::string whole_run(const std::vector<std::string> &files) {
  auto e = test::make_engine();
  EXPECT_TRUE(e.feed_paths(files));
  e.finish();
  return answers(e);
}

std::string split_run(const std::vector<std::string> &files, std::size_t at) {
  auto first = test::make_engine();
  EXPECT_TRUE(first.feed_paths({files.begin(), files.begin() + static_cast<std::ptrdiff_t>(at)}));
  auto bytes = first.checkpoint();  // before the end-of-input flush, as `--state` does
  EXPECT_TRUE(bytes) << (bytes ? "" : bytes.error().message);
  if (!bytes) return {};
  auto second = engine::restore(*bytes);
  EXPECT_TRUE(second) << (second ? "" : second.error().message);
  if (!second) return {};
  EXPECT_EQ(second->restored().started_rules.size(), 0u);
  EXPECT_TRUE(second->feed_paths({files.begin() + static_cast<std::ptrdiff_t>(at), files.end()}));
  second->finish();
  return answers(*second);
}

void expect_splits_equal_whole(const std::string &dir) {
  const auto files = files_of(dir);
  ASSERT_GE(files.size(), 20u);
  const auto reference = whole_run(files);
  std::mt19937 rng(3);
  std::vector<std::size_t> points{1, files.size() / 2, files.size() - 1};
  for (int i = 0; i < 5; ++i) points.push_back(1 + rng() % (files.size() - 1));
  for (const auto at : points) EXPECT_EQ(split_run(files, at), reference) << "split before file " << at;
}

}  // namespace

TEST(Checkpoint, SampleSplitAnywhereGivesTheWholeRunsAnswers) { expect_splits_equal_whole(test::sample_dir()); }

TEST(Checkpoint, GeneratedDaySplitAnywhereGivesTheWholeRunsAnswers) { expect_splits_equal_whole(IDENTRAIL_GENERATED_DAY); }

TEST(Checkpoint, RecordBySplitsInsideWindowsAndBursts) {
  // Record by record, so a split falls inside an open burst or sequence.
  auto whole = test::make_engine();
  ASSERT_TRUE(whole.feed_path(test::sample_dir()));
  std::vector<std::string> records;
  for (const auto &ev : whole.events()) records.push_back(ev.raw);
  whole.finish();
  const auto reference = standing(whole);
  std::mt19937 rng(9);
  for (int round = 0; round < 4; ++round) {
    const std::size_t at = rng() % records.size();
    auto first = test::make_engine();
    for (std::size_t i = 0; i < at; ++i) ASSERT_TRUE(first.feed(records[i], "live"));
    auto second = engine::restore(*first.checkpoint());
    ASSERT_TRUE(second) << second.error().message;
    std::vector<std::string> announced;
    second->on_detection([&](const detection &d) { announced.push_back(d.id + "/" + std::to_string(d.revision)); });
    for (std::size_t i = at; i < records.size(); ++i) ASSERT_TRUE(second->feed(records[i], "live"));
    second->finish();
    EXPECT_EQ(standing(*second), reference) << "split at record " << at;
    // Nothing announced before the checkpoint is announced again after it.
    std::set<std::string> before;
    for (const auto &d : first.detections()) before.insert(d.id + "/" + std::to_string(d.revision));
    for (const auto &a : announced) EXPECT_FALSE(before.contains(a)) << a;
  }
}

TEST(Checkpoint, FlagsAndAKeyedCheckpoint) {
  engine_options keyed;
  keyed.state_key = "correct horse battery staple";
  auto e = test::make_engine(keyed);
  ASSERT_TRUE(e.feed_path(test::sample_dir()));
  ASSERT_TRUE(e.flag(admin, compromise_status::compromised, from_unix_nanos(0)));
  const auto bytes = *e.checkpoint();
  auto back = engine::restore(bytes, keyed);
  ASSERT_TRUE(back) << back.error().message;
  ASSERT_EQ(back->flags().size(), 1u);
  EXPECT_EQ(back->assessment_of(admin)->status, compromise_status::compromised);
  EXPECT_EQ(answers(*back), answers(e));

  auto unkeyed = engine::restore(bytes);
  ASSERT_FALSE(unkeyed);
  EXPECT_EQ(unkeyed.error().code, errc::bad_state);
  EXPECT_NE(unkeyed.error().message.find("authenticated with a key"), std::string::npos);
  engine_options wrong = keyed;
  wrong.state_key = "wrong";
  auto forged = engine::restore(bytes, wrong);
  ASSERT_FALSE(forged);
  EXPECT_NE(forged.error().message.find("not authentic"), std::string::npos);
}

TEST(Checkpoint, BadCheckpointsAreRefusedWithTheReason) {
  auto e = test::make_engine();
  ASSERT_TRUE(e.feed_path(test::sample_dir()));
  const auto bytes = *e.checkpoint();
  const auto refused = [](std::string_view b) {
    auto r = engine::restore(b);
    return r ? std::string("(restored)") : std::string(errc_name(r.error().code)) + ": " + r.error().message;
  };
  EXPECT_NE(refused("").find("truncated"), std::string::npos);
  EXPECT_NE(refused(std::string(100, 'x')).find("not an identrail checkpoint"), std::string::npos);
  // Cut anywhere: always refused, never a crash.
  for (const std::size_t cut : {std::size_t{30}, bytes.size() / 3, bytes.size() / 2, bytes.size() - 1})
    EXPECT_NE(refused(std::string_view(bytes).substr(0, cut)).find("bad_state: checkpoint: truncated"), std::string::npos)
        << cut;
  std::mt19937 rng(1);
  for (int i = 0; i < 50; ++i) {
    auto flipped = bytes;
    flipped[24 + rng() % (flipped.size() - 28)] ^= static_cast<char>(1 + rng() % 255);
    EXPECT_NE(refused(flipped).find("checksum"), std::string::npos);
  }
  auto newer = bytes;
  newer[8] = 9;
  EXPECT_NE(refused(newer).find("incompatible_state: checkpoint: format 9, made by a newer identrail"), std::string::npos);
  // Another rule set: none of the checkpoint's rules.
  engine_options other;
  other.rules = *rule_set::from_yaml("- id: X-1\n  name: x\n  severity: low\n  match: {event_name: ListUsers}\n", "x");
  auto foreign = engine::restore(bytes, other);
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().code, errc::incompatible_state);
  EXPECT_NE(foreign.error().message.find("another rule set"), std::string::npos);
}

TEST(Checkpoint, AnEditedRuleSetKeepsTheUnchangedRules) {
  const auto pack = [](const std::string &threshold) {
    return *rule_set::from_yaml("- id: C-1\n  name: c\n  severity: low\n  kind: count\n  window: 10m\n  threshold: " + threshold +
                                    "\n  match: {event_name: ListUsers}\n- id: E-1\n  name: e\n  severity: low\n"
                                    "  match: {event_name: StopLogging}\n",
                                "pack.yaml");
  };
  engine_options before;
  before.rules = pack("3");
  auto e = test::make_engine(before);
  ASSERT_TRUE(e.feed(test::record("a", "2026-03-01T10:00:00Z", "ListUsers"), "t"));
  engine_options edited;
  edited.rules = pack("2");
  auto back = engine::restore(*e.checkpoint(), edited);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->restored().kept_rules, std::vector<std::string>{"E-1"});
  EXPECT_EQ(back->restored().started_rules, std::vector<std::string>{"C-1"});
  // C-1 starts empty: one more event is one, not two.
  ASSERT_TRUE(back->feed(test::record("b", "2026-03-01T10:01:00Z", "ListUsers"), "t"));
  EXPECT_TRUE(back->detections().empty());
  EXPECT_EQ(back->stats().accepted, 2u);  // counts go on from the checkpoint
}

TEST(Checkpoint, FilesAreWrittenAtomicallyAndPrivately) {
  const auto dir = std::filesystem::temp_directory_path() / ("identrail-ckpt-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "state").string();
  auto e = test::make_engine();
  ASSERT_TRUE(e.feed_path(test::sample_dir()));
  ASSERT_TRUE(e.checkpoint_to(path));
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  const auto good = test::read_file(path);
  // Writers killed at random moments while writing bigger state: the file is always a whole checkpoint.
  for (int round = 0; round < 5; ++round) {
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      auto more = test::make_engine();
      (void)more.feed_path(test::sample_dir());
      (void)more.feed_path(IDENTRAIL_GENERATED_DAY);
      for (;;) (void)more.checkpoint_to(path);
    }
    ::usleep(static_cast<useconds_t>(20000 + round * 37000));
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    auto back = engine::restore_from(path);
    EXPECT_TRUE(back) << back.error().message;
  }
  auto missing = engine::restore_from((dir / "none").string());
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("none"), std::string::npos);
  std::filesystem::remove_all(dir);
}

// The checksum turns away random damage; a file damaged and given a fresh
// checksum (or written by someone else) must still never crash the reader or
// restore half a state: each is refused with a reason or restored whole.
TEST(Checkpoint, DamageBehindAValidChecksumIsRefusedNotACrash) {
  auto e = test::make_engine();
  ASSERT_TRUE(e.feed_path(test::sample_dir()));
  const auto bytes = *e.checkpoint();
  const auto resealed = [](std::string b) {
    const auto crc = static_cast<std::uint32_t>(crc32(0L, reinterpret_cast<const Bytef *>(b.data()),
                                                      static_cast<uInt>(b.size() - 4)));
    std::memcpy(b.data() + b.size() - 4, &crc, 4);
    return b;
  };
  ASSERT_TRUE(engine::restore(resealed(bytes)));
  std::mt19937 rng(17);
  std::size_t refused = 0;
  for (int i = 0; i < 300; ++i) {
    auto damaged = bytes;
    const int flips = 1 + static_cast<int>(rng() % 4);
    for (int f = 0; f < flips; ++f) damaged[24 + rng() % (damaged.size() - 28)] = static_cast<char>(rng());
    auto back = engine::restore(resealed(damaged));
    if (!back) {
      ++refused;
      EXPECT_TRUE(back.error().code == errc::bad_state || back.error().code == errc::incompatible_state)
          << back.error().message;
      EXPECT_FALSE(back.error().message.empty());
    }
  }
  EXPECT_GT(refused, 0u);
}
