// Decoding on several threads (parallel_feed.hpp).
#include "parallel_feed.hpp"

#include <algorithm>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

namespace identrail {
inline namespace v0 {
namespace detail {

namespace {

// What a worker made of one input.
struct decoded_input {
  std::string source;
  std::vector<event> events;               // symbols of the worker's table
  std::vector<std::uint32_t> marks;        // the worker's table size as each event was made
  std::uint32_t first_new = 0;             // worker id of new_strings[0]
  std::vector<std::string> new_strings;    // strings the worker's table gained, in id order
  bool fresh_table = false;                // the worker started a new table for this input
  std::size_t worker = 0;
  decode_stats delta;                      // rejections only: the reader counts what it accepts
  std::vector<decode_error> errors;
  std::optional<error> unreadable;         // the input's own error: one decode error
  std::optional<error> failure;            // stops the whole read
  bool first_of_file = true;               // on_input is told of the file's first piece only
};

// Inputs are claimed in order and taken in order; a worker runs at most
// `ahead` inputs before the reader, which bounds the memory in flight.
class input_queue {
 public:
  input_queue(std::size_t count, std::size_t ahead, std::size_t workers)
      : spare_(workers), count_(count), ahead_(ahead) {}

  std::optional<std::size_t> claim() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return stopped_ || next_ >= count_ || next_ < taken_ + ahead_; });
    if (stopped_ || next_ >= count_) return std::nullopt;
    return next_++;
  }

  void deliver(std::size_t index, decoded_input done) {
    std::lock_guard lock(mutex_);
    ready_.emplace(index, std::move(done));
    changed_.notify_all();
  }

  decoded_input take(std::size_t index) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return ready_.count(index) != 0; });
    auto node = ready_.extract(index);
    taken_ = index + 1;
    changed_.notify_all();
    return std::move(node.mapped());
  }

  // A taken input goes back to the worker that made it, to be cleared there
  // and filled again: its vectors are large enough to be mapped and unmapped
  // each time, and its strings are freed by the thread that allocated them.
  void recycle(decoded_input used) {
    std::lock_guard lock(mutex_);
    spare_[used.worker].push_back(std::move(used));
  }

  decoded_input fresh(std::size_t worker) {
    decoded_input out;
    {
      std::lock_guard lock(mutex_);
      if (spare_[worker].empty()) return out;
      out = std::move(spare_[worker].back());
      spare_[worker].pop_back();
    }
    out.events.clear();
    out.marks.clear();
    out.new_strings.clear();
    out.errors.clear();
    out.unreadable.reset();
    out.failure.reset();
    out.first_of_file = true;
    out.fresh_table = false;
    out.delta = {};
    return out;
  }

  void stop() {
    std::lock_guard lock(mutex_);
    stopped_ = true;
    changed_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::map<std::size_t, decoded_input> ready_;
  std::vector<std::vector<decoded_input>> spare_;  // per worker
  std::size_t count_, ahead_, next_ = 0, taken_ = 0;
  bool stopped_ = false;
};

// One worker: a normalizer of its own over a table of its own.
class worker {
 public:
  worker(std::size_t id, const normalizer_options &options) : id_(id), options_(options) {
    options_.threads = 1;
    options_.deduplicate = false;  // the reader filters, in input order
    start_table();
  }

  [[nodiscard]] std::size_t id() const noexcept { return id_; }

  void decode(loaded_input in, decoded_input &out) {
    out.worker = id_;
    out.source = std::move(in.source);
    out.first_of_file = in.first_of_file;
    if (symbols_->bytes_used() > worker_table_bytes.load()) {
      start_table();
      out.fresh_table = true;
    }
    out.fresh_table = out.fresh_table || shipped_ == 1;
    if (in.unreadable) out.unreadable = std::move(in.unreadable);
    else if (!in.empty_piece) run(in, out);
    ship_new_strings(out);
  }

 private:
  void start_table() {
    decode_.reset();
    symbols_ = std::make_unique<symbol_table>();
    decode_ = std::make_unique<normalizer>(*symbols_, options_);
    shipped_ = 1;  // id 0 is "" in every table
  }

  void run(loaded_input &in, decoded_input &out) {
    const decode_stats before = decode_->stats();
    normalizer_access::collect_into(*decode_, &out.events, &out.marks);
    normalizer_access::place_piece(*decode_, in.origin_byte, in.origin_line, in.json_lines);
    const bool viewed = in.owned.empty() && in.bytes.data();  // a caller's buffer or a piece, not a file read here
    const std::string_view bytes = viewed ? in.bytes : std::string_view(in.owned);
    const std::size_t capacity = viewed ? in.capacity : in.owned.capacity();
    auto fed = decode_->feed_padded(bytes, capacity, out.source, {});
    normalizer_access::collect_into(*decode_, nullptr, nullptr);
    normalizer_access::place_piece(*decode_, 0, 0, false);
    if (!fed && fed.error().code == errc::out_of_memory) out.unreadable = fed.error();
    else if (!fed) out.failure = fed.error();
    const decode_stats &after = decode_->stats();
    out.delta.total = after.total - before.total;
    out.delta.rejected = after.rejected - before.rejected;
    out.delta.errors_dropped = after.errors_dropped - before.errors_dropped;
    out.errors = normalizer_access::take_errors(*decode_);
  }

  void ship_new_strings(decoded_input &out) {
    out.first_new = static_cast<std::uint32_t>(shipped_);
    for (std::size_t id = shipped_; id < symbols_->size(); ++id)
      out.new_strings.emplace_back(symbols_->str(symbol{static_cast<std::uint32_t>(id)}));
    shipped_ = symbols_->size();
  }

  std::size_t id_;
  normalizer_options options_;
  std::unique_ptr<symbol_table> symbols_;
  std::unique_ptr<normalizer> decode_;
  std::size_t shipped_ = 1;
};

template <class Fn>
void for_each_symbol(event &e, Fn &&fn) {
  for (symbol *s : {&e.provider, &e.account, &e.region, &e.event_source, &e.event_name, &e.event_type, &e.action,
                    &e.who.type_name, &e.who.arn, &e.who.principal_id, &e.who.account_id, &e.who.access_key_id,
                    &e.who.user_name, &e.who.issuer_arn, &e.who.issuer_type, &e.who.session_name,
                    &e.who.source_identity, &e.who.instance_id, &e.who.invoked_by, &e.source.text, &e.user_agent,
                    &e.result.error_code})
    fn(*s);
  for (auto &s : e.resources) fn(s);
}

// Worker symbol ids to the reader's, per worker.
class symbol_remap {
 public:
  symbol_remap(symbol_table &symbols, std::size_t workers) : symbols_(symbols), ids_(workers) {}

  void begin(decoded_input &in) {
    current_ = &in;
    next_ = in.first_new;
    if (in.fresh_table) ids_[in.worker].assign(1, 0);
  }

  // Interns the worker's strings made before `mark`, as one thread would have at that point.
  void intern_until(std::uint32_t mark) {
    auto &ids = ids_[current_->worker];
    for (; next_ < mark; ++next_) {
      if (ids.size() <= next_) ids.resize(next_ + 1, 0);
      ids[next_] = symbols_.intern(current_->new_strings[next_ - current_->first_new]).id;
    }
  }

  // Every string the input brought: what follows from the worker is numbered after them.
  void intern_all() { intern_until(current_->first_new + static_cast<std::uint32_t>(current_->new_strings.size())); }

  void translate(event &e) {
    const auto &ids = ids_[current_->worker];
    for_each_symbol(e, [&](symbol &s) { s.id = ids[s.id]; });
  }

 private:
  symbol_table &symbols_;
  std::vector<std::vector<std::uint32_t>> ids_;
  decoded_input *current_ = nullptr;
  std::uint32_t next_ = 0;
};

// One input's events into the reader, in order; the sink may stop the input (`stopped`).
std::size_t take_in(normalizer &n, symbol_remap &remap, decoded_input &in, const event_sink &sink, bool &stopped) {
  if (in.unreadable) normalizer_access::reject_input(n, in.source, *in.unreadable);
  normalizer_access::merge(n, in.delta, std::move(in.errors));
  remap.begin(in);
  std::size_t accepted = 0;
  bool reading = true;
  for (std::size_t i = 0; i < in.events.size() && reading; ++i) {
    remap.intern_until(in.marks[i]);
    remap.translate(in.events[i]);
    const auto before = n.stats().accepted;
    reading = normalizer_access::admit(n, in.events[i], sink);
    accepted += n.stats().accepted - before;
  }
  remap.intern_all();
  stopped = !reading;
  return accepted;
}

void work(input_queue &queue, worker &self, const input_loader &load) {
  while (const auto index = queue.claim()) {
    decoded_input out = queue.fresh(self.id());
    try {
      self.decode(load(*index), out);
    } catch (const std::bad_alloc &) {
      out.failure = error{errc::out_of_memory, "out of memory while decoding input " + std::to_string(*index)};
    } catch (const std::exception &e) {
      out.failure = error{errc::internal, std::string("decoding input ") + std::to_string(*index) + ": " + e.what()};
    }
    queue.deliver(*index, std::move(out));
  }
}

}  // namespace

class decode_workers {
 public:
  decode_workers(symbol_table &symbols, const normalizer_options &options, std::size_t count)
      : remap(symbols, count) {
    for (std::size_t w = 0; w < count; ++w) workers.push_back(std::make_unique<worker>(w, options));
  }
  std::vector<std::unique_ptr<worker>> workers;
  symbol_remap remap;
};

void decode_workers_deleter::operator()(decode_workers *workers) const noexcept { delete workers; }

result<std::size_t> feed_in_parallel(normalizer &n, symbol_table &symbols, decode_workers_ptr &pool,
                                     std::size_t count, const input_loader &load, const event_sink &sink,
                                     const std::function<void(const std::string &)> &on_input) {
  if (!pool) pool.reset(new decode_workers(symbols, n.options(), n.options().threads));
  const std::size_t threads = std::min(pool->workers.size(), count);
  input_queue queue(count, 2 * threads, threads);
  std::vector<std::jthread> running;
  for (std::size_t w = 0; w < threads; ++w) running.emplace_back([&, w] { work(queue, *pool->workers[w], load); });
  // However the reader leaves (an error, a sink that throws), workers waiting for room stop before the join.
  struct stop_on_exit {
    input_queue &queue;
    ~stop_on_exit() { queue.stop(); }
  } stopper{queue};
  std::size_t accepted = 0;
  bool file_stopped = false;  // a sink that stops a piece stops the rest of its file, as one thread does
  for (std::size_t i = 0; i < count; ++i) {
    auto in = queue.take(i);
    if (in.failure) return tl::unexpected(*in.failure);
    if (in.first_of_file) file_stopped = false;
    if (on_input && in.first_of_file) on_input(in.source);
    if (!file_stopped) {
      accepted += take_in(n, pool->remap, in, sink, file_stopped);
    } else {  // nothing of it is taken, but the worker's later strings are numbered after its own
      pool->remap.begin(in);
      pool->remap.intern_all();
    }
    queue.recycle(std::move(in));
  }
  return accepted;
}

}  // namespace detail
}  // namespace v0
}  // namespace identrail
