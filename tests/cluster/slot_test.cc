// Key slots, from the Redis Cluster specification's examples.
#include "redis/cluster/slot.h"

#include <gtest/gtest.h>

namespace seatgate::redis::cluster {
namespace {

TEST(ClusterSlot, Crc16OfTheSpecVector) { EXPECT_EQ(crc16("123456789"), 0x31C3); }

TEST(ClusterSlot, SlotIsCrc16Modulo16384) {
  EXPECT_EQ(key_slot("123456789"), 0x31C3 % 16384);
  EXPECT_EQ(key_slot("foo"), 12182);  // CLUSTER KEYSLOT foo
  EXPECT_EQ(key_slot(""), 0);
}

TEST(ClusterSlot, HashTagSharesTheSlot) {
  EXPECT_EQ(key_slot("{user1000}.following"), key_slot("{user1000}.followers"));
  EXPECT_EQ(key_slot("{user1000}.following"), key_slot("user1000"));
  EXPECT_EQ(hash_tag("sg:{ev1}:seats"), "ev1");
}

TEST(ClusterSlot, OnlyTheFirstNonEmptyTagCounts) {
  EXPECT_EQ(hash_tag("foo{}{bar}"), "foo{}{bar}");  // empty tag: whole key
  EXPECT_EQ(hash_tag("foo{{bar}}zap"), "{bar");     // up to the first '}'
  EXPECT_EQ(hash_tag("foo{bar}{zap}"), "bar");      // the first tag only
  EXPECT_EQ(hash_tag("foo{bar"), "foo{bar");        // unterminated: whole key
  EXPECT_EQ(key_slot("foo{bar}{zap}"), key_slot("bar"));
}

TEST(ClusterSlot, EveryKeyLandsInRange) {
  for (int i = 0; i < 2000; ++i) {
    int slot = key_slot("k" + std::to_string(i));
    EXPECT_GE(slot, 0);
    EXPECT_LT(slot, k_slots);
  }
}

}  // namespace
}  // namespace seatgate::redis::cluster
