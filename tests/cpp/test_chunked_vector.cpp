// The store kept events live in: elements never move, and it reads as a
// random-access range, so the engine's callers can sort, search and index it.
#include <gtest/gtest.h>

#include <algorithm>
#include <iterator>
#include <numeric>
#include <random>
#include <ranges>
#include <stdexcept>
#include <string>
#include <vector>

#include "identrail/identrail.hpp"
#include "support.hpp"

using namespace identrail;

namespace {

static_assert(std::random_access_iterator<chunked_vector<int>::const_iterator>);
static_assert(std::ranges::random_access_range<const event_store>);

TEST(ChunkedVector, AnElementNeverMovesAsTheStoreGrows) {
  // Strings longer than the small-string buffer: a moved std::string keeps its heap text, but one held
  // in place must keep its own address too, which is what the C API hands out.
  chunked_vector<std::string, 8> store;
  std::vector<const std::string *> addresses;
  std::vector<const char *> texts;
  for (int i = 0; i < 1000; ++i) {
    const auto &added = store.emplace_back("value number " + std::to_string(i) + " long enough for the heap");
    addresses.push_back(&added);
    texts.push_back(added.c_str());
  }
  ASSERT_EQ(store.size(), 1000u);
  for (std::size_t i = 0; i < store.size(); ++i) {
    EXPECT_EQ(&store[i], addresses[i]) << i;
    EXPECT_EQ(store[i].c_str(), texts[i]) << i;
    EXPECT_EQ(store[i], "value number " + std::to_string(i) + " long enough for the heap");
  }
}

TEST(ChunkedVector, ItReadsAsARandomAccessRange) {
  chunked_vector<int, 4> store;
  std::vector<int> reference(103);
  std::iota(reference.begin(), reference.end(), 0);
  std::shuffle(reference.begin(), reference.end(), std::mt19937(7));
  for (const int v : reference) store.push_back(v);

  EXPECT_TRUE(std::equal(store.begin(), store.end(), reference.begin(), reference.end()));
  EXPECT_EQ(store.end() - store.begin(), 103);
  EXPECT_EQ(*(store.begin() + 50), reference[50]);
  EXPECT_EQ(store.begin()[77], reference[77]);
  EXPECT_EQ(*std::prev(store.end()), store.back());
  EXPECT_EQ(store.front(), reference.front());
  const auto at = std::ranges::find(store, 42);
  ASSERT_NE(at, store.end());
  EXPECT_EQ(at - store.begin(), std::find(reference.begin(), reference.end(), 42) - reference.begin());
  std::vector<int> reversed(store.size());
  std::reverse_copy(store.begin(), store.end(), reversed.begin());
  EXPECT_TRUE(std::equal(reversed.rbegin(), reversed.rend(), reference.begin()));
}

struct fails_on_demand {
  static inline int fail_at = -1;
  int value;
  explicit fails_on_demand(int v) : value(v) {
    if (v == fail_at) throw std::runtime_error("refused");
  }
};

TEST(ChunkedVector, AFailedAddLeavesTheStoreAsItWas) {
  // The add that starts a chunk throws: the empty chunk it made must be the one the next add fills.
  chunked_vector<fails_on_demand, 4> store;
  fails_on_demand::fail_at = 4;
  for (int v = 0; v < 4; ++v) store.emplace_back(v);
  EXPECT_THROW(store.emplace_back(4), std::runtime_error);
  EXPECT_EQ(store.size(), 4u);
  for (int v = 5; v < 14; ++v) store.emplace_back(v);
  ASSERT_EQ(store.size(), 13u);
  std::vector<int> seen;
  for (const auto &e : store) seen.push_back(e.value);
  EXPECT_EQ(seen, (std::vector<int>{0, 1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13}));
  fails_on_demand::fail_at = -1;
  store.clear();
  EXPECT_TRUE(store.empty());
  store.emplace_back(99);
  EXPECT_EQ(store.back().value, 99);
}

TEST(ChunkedVector, TheEnginesKeptEventsStayWhereTheyWere) {
  // The sample's events, held by address while the engine reads it again, until the store has grown by
  // more than a chunk.
  engine_options options;
  options.normalize.deduplicate = false;  // the same files again are more events
  auto made = engine::create(std::move(options));
  ASSERT_TRUE(made);
  auto &e = *made;
  ASSERT_TRUE(e.feed_path(test::sample_dir()));
  std::vector<const event *> first;
  std::vector<std::string> ids;
  for (const auto &ev : e.events()) {
    first.push_back(&ev);
    ids.push_back(ev.id);
  }
  ASSERT_FALSE(first.empty());
  do {
    const auto before = e.events().size();
    ASSERT_TRUE(e.feed_path(test::sample_dir()));
    ASSERT_GT(e.events().size(), before);
  } while (e.events().size() < first.size() + 2 * event_store::chunk_size);
  for (std::size_t i = 0; i < first.size(); ++i) {
    EXPECT_EQ(&e.events()[i], first[i]) << i;
    EXPECT_EQ(first[i]->id, ids[i]) << i;
  }
}

}  // namespace
