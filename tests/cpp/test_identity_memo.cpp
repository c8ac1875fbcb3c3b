// The decoder takes a userIdentity whose bytes it has decoded before from its
// memo, unread (src/normalize/identity_memo.hpp). A remembered actor must be
// exactly what reading the object would give, and bytes that only start like
// a remembered object must be read in full.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "support.hpp"
#include "identrail/normalize/normalizer.hpp"

using namespace identrail;

namespace {

std::vector<std::string> actor_texts(const actor &who, const symbol_table &symbols) {
  std::vector<std::string> out;
  for (const symbol s : {who.type_name, who.arn, who.principal_id, who.account_id, who.access_key_id, who.user_name,
                         who.issuer_arn, who.issuer_type, who.session_name, who.source_identity, who.instance_id,
                         who.invoked_by})
    out.emplace_back(symbols.str(s));
  out.push_back(std::to_string(static_cast<int>(who.type)) + "/" + std::to_string(static_cast<int>(who.mfa)));
  out.push_back(who.session_created ? std::to_string(to_unix_nanos(*who.session_created)) : "-");
  return out;
}

// Each record decoded by a normalizer of its own, which has nothing remembered.
std::vector<std::string> read_alone(const std::string &raw) {
  symbol_table symbols;
  normalizer alone(symbols);
  std::vector<std::string> texts;
  const event_sink keep = [&](const event &e) {
    texts = actor_texts(e.who, symbols);
    return true;
  };
  EXPECT_TRUE(alone.feed(raw, "one record", keep));
  return texts;
}

std::string user_identity_of(const std::string &raw) {
  const auto at = raw.find("\"userIdentity\":");
  const auto end = raw.find("},\"eventTime\"");
  return at == std::string::npos || end == std::string::npos ? std::string() : raw.substr(at, end - at);
}

TEST(IdentityMemo, EveryEventOfTheSampleNamesTheActorItsRecordAloneNames) {
  const auto &e = test::sample_engine();
  ASSERT_GT(e.events().size(), 100u);
  std::set<std::string> identities;
  for (const auto &ev : e.events()) {
    ASSERT_FALSE(ev.raw.empty());
    identities.insert(std::string(user_identity_of(ev.raw)));
    EXPECT_EQ(actor_texts(ev.who, e.symbols()), read_alone(ev.raw)) << ev.id;
  }
  // Most events repeat an identity seen before, so most actors above came from the memo.
  EXPECT_LT(identities.size() * 4, e.events().size());
}

std::string with_identity(const std::string &id, const std::string &identity) {
  std::string r = test::record(id);
  const auto at = r.find("{\"type\"");
  const auto end = r.find("},\"eventTime\"") + 1;
  return r.replace(at, end - at, identity);
}

// Concurrent sessions of one role share everything up to the access key.
const std::string kShared =
    R"({"type":"AssumedRole","principalId":"AROAEXAMPLEROLEID:worker","arn":"arn:aws:sts::111122223333:assumed-role/worker/worker","accountId":"111122223333","accessKeyId":")";

TEST(IdentityMemo, ObjectsThatShareTheirFirstBytesKeepTheirOwnActors) {
  symbol_table symbols;
  normalizer n(symbols);
  std::vector<std::string> keys;
  const event_sink keep = [&](const event &e) {
    keys.emplace_back(symbols.str(e.who.access_key_id));
    return true;
  };
  std::string input;
  std::vector<std::string> expected;
  for (int round = 0; round < 3; ++round)
    for (int k = 0; k < 6; ++k) {  // more sessions than a set has ways
      const std::string key = "ASIAKEY" + std::to_string(k);
      input += with_identity("id-" + std::to_string(round) + "-" + std::to_string(k), kShared + key + "\"}") + "\n";
      expected.push_back(key);
    }
  ASSERT_TRUE(n.feed(input, "sessions.jsonl", keep));
  EXPECT_EQ(keys, expected);
}

TEST(IdentityMemo, BytesThatOnlyStartLikeARememberedObjectAreReadInFull) {
  const std::string good = kShared + R"(ASIAKEY1","userName":"w"})";
  std::string bad = good;
  bad.insert(bad.size() - 1, ",");  // a trailing comma after the remembered object's last member
  std::string broken_tail = good;
  broken_tail.replace(broken_tail.find("\"w\""), 3, "tru");  // `tru` where the remembered text has "w"
  symbol_table symbols;
  normalizer n(symbols);
  std::vector<std::string> ids;
  const event_sink keep = [&](const event &e) {
    ids.push_back(e.id);
    return true;
  };
  const std::string input = with_identity("first", good) + "\n" + with_identity("comma", bad) + "\n" +
                            with_identity("tru", broken_tail) + "\n" + with_identity("last", good) + "\n";
  (void)n.feed(input, "memo.jsonl", keep);
  EXPECT_EQ(ids, (std::vector<std::string>{"first", "last"}));
  EXPECT_EQ(n.stats().rejected, 2u);
}

}  // namespace
