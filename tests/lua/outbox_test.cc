// The outbox (docs/redis-schema.md, Outbox): many connections race reserve,
// replays, confirm, release, reads, lists and the sweeper on one event; in
// the end every reservation has exactly one entry per status change, in
// order, with versions 1, 2, ... and the fields of its record.
#include <atomic>
#include <map>
#include <set>
#include <thread>
#include <vector>

#include "lua_fixture.h"

namespace seatgate::test {
namespace {

using Outbox = LuaTest;

// Every entry of the event's outbox, oldest first: field -> value, the
// record's fields (store/record.h) as the flat fields they stand for.
std::vector<fields> read_outbox(lua_client& c, const std::string& ev) {
  std::vector<fields> out;
  auto r = c.command({"XRANGE", store::event_keys(ev).outbox(), "-", "+"});
  for (size_t i = 0; i < r->elements; ++i) {
    const redisReply* kv = r->element[i]->element[1];
    fields f;
    std::vector<std::string> order;
    for (size_t j = 0; j + 1 < kv->elements; j += 2) {
      order.emplace_back(kv->element[j]->str, kv->element[j]->len);
      f[order.back()] = std::string(kv->element[j + 1]->str, kv->element[j + 1]->len);
    }
    const std::vector<std::string> want = {"id", "event_id", "occurred_at", "record"};
    EXPECT_EQ(order, want) << "entry " << i;
    const auto rec = layout::parse_record(f["record"]);
    EXPECT_TRUE(rec) << "entry " << i << ": " << f["record"];
    if (rec) {
      f.emplace("type", "reservation." + rec->status);
      for (const auto& [k, v] : store::named_fields(*rec)) f.emplace(k, v);
    }
    out.push_back(std::move(f));
  }
  return out;
}

TEST_F(Outbox, OneEntryPerStatusChangeInOrderUnderRaces) {
  constexpr int k_users = 12, k_per_user = 25, k_threads = 8;
  event_config cfg;
  cfg.zones = {{"floor", 200}};  // fewer seats than holds asked for: some are refused
  cfg.max_per_user = 1000;
  make_event("e1", cfg);

  // Phase 1: holds from many connections, each sent twice (the second a
  // replay), some refused as sold out.
  std::vector<std::thread> threads;
  for (int t = 0; t < k_threads; ++t)
    threads.emplace_back([&, t] {
      lua_client me(*server_);
      for (int i = t; i < k_users * k_per_user; i += k_threads) {
        const std::string id = "e1.h" + std::to_string(i), user = "u" + std::to_string(i % k_users);
        const std::string q = std::to_string(1 + i % 2);
        me.reserve("e1", id, user, "floor", q, "k" + id, "fp" + id);
        me.reserve("e1", id + "x", user, "floor", q, "k" + id, "fp" + id);
      }
    });
  for (auto& th : threads) th.join();
  threads.clear();

  // The holds that were made, with their users; a third of them falls due.
  std::map<std::string, std::string> user_of;
  auto all = c->command({"HKEYS", store::event_keys("e1").reservations()});
  for (size_t i = 0; i < all->elements; ++i) {
    const std::string rid = all->element[i]->str;
    user_of[rid] = layout::read_record(*server_, "e1", rid)->user_id;
  }
  ASSERT_GT(user_of.size(), 50u);
  ASSERT_LT(user_of.size(), static_cast<size_t>(k_users * k_per_user));  // some were refused
  std::vector<std::string> rids;
  for (const auto& [rid, _] : user_of) rids.push_back(rid);
  const long long now = c->now_ms();
  for (size_t i = 0; i < rids.size(); i += 3)
    layout::set_expires_at(*server_, "e1", rids[i], now - 1);

  // Phase 2: every connection goes through every hold in its own order and
  // tries confirm (with its own key), release, read, list or the sweeper.
  std::atomic<bool> stop{false};
  std::thread sweeper([&] {
    lua_client me(*server_);
    while (!stop) me.expire("e1", "7");
  });
  for (int t = 0; t < k_threads; ++t)
    threads.emplace_back([&, t] {
      lua_client me(*server_);
      for (size_t n = 0; n < rids.size(); ++n) {
        const auto& rid = rids[(n * (t + 1) + t) % rids.size()];
        const auto& user = user_of[rid];
        switch ((t + n) % 5) {
          case 0:
          case 1:
            me.confirm("e1", rid, user, "c" + std::to_string(t) + rid, "cfp" + rid, "pay");
            break;
          case 2:
            me.release("e1", rid, user);
            break;
          case 3:
            me.read("e1", rid, user);
            break;
          default:
            me.list("e1", user, "3", "5");
        }
      }
    });
  for (auto& th : threads) th.join();
  stop = true;
  sweeper.join();
  // Whatever is still held and due goes now.
  for (const auto& rid : rids)
    if (layout::status(*server_, "e1", rid) == "held")
      layout::set_expires_at(*server_, "e1", rid, now - 1);
  c->expire("e1", "1000");

  // Every status change has exactly one entry, versions 1, 2, ... in order.
  const auto entries = read_outbox(*c, "e1");
  std::map<std::string, std::vector<fields>> by_id;
  for (const auto& e : entries) by_id[e.at("id")].push_back(e);
  EXPECT_EQ(by_id.size(), user_of.size()) << "a refused request appended an entry, or a hold none";
  std::map<std::string, int> ends;
  for (const auto& [rid, list] : by_id) {
    ASSERT_TRUE(user_of.count(rid)) << rid;
    const auto rec = layout::read_record(*server_, "e1", rid);
    ASSERT_TRUE(rec);
    ASSERT_EQ(list.size(), std::stoul(rec->version)) << rid;
    ASSERT_LE(list.size(), 2u) << rid;  // held, then at most one end
    for (size_t v = 0; v < list.size(); ++v) {
      EXPECT_EQ(list[v].at("version"), std::to_string(v + 1)) << rid;
      EXPECT_EQ(list[v].at("type"), "reservation." + list[v].at("status")) << rid;
      EXPECT_EQ(list[v].at("event_id"), "e1");
      EXPECT_EQ(list[v].at("user_id"), rec->user_id);
      EXPECT_EQ(list[v].at("quantity"), rec->quantity);
      EXPECT_EQ(list[v].at("created_at"), rec->created_at);
      EXPECT_EQ(list[v].at("seats"), "");
    }
    EXPECT_EQ(list.front().at("status"), "held") << rid;
    EXPECT_EQ(list.back().at("status"), rec->status) << rid;
    EXPECT_EQ(list.back().at("confirmed_at"), rec->confirmed_at) << rid;
    EXPECT_EQ(list.back().at("payment_ref"), rec->payment_ref) << rid;
    ++ends[rec->status];
  }
  // Every way a hold ends happened, and the counters agree with the entries.
  EXPECT_GT(ends["confirmed"], 0);
  EXPECT_GT(ends["released"], 0);
  EXPECT_GT(ends["expired"], 0);
  for (const auto& s : {"held", "confirmed", "released", "expired"})
    EXPECT_EQ(cnt("e1", s), ends[s]) << s;
  EXPECT_TRUE(audit_consistent("e1"));
}

}  // namespace
}  // namespace seatgate::test
