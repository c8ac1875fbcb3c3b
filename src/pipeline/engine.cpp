#include "engine_impl.hpp"
#include "engine_options.hpp"

#include <algorithm>
#include <unordered_map>

namespace identrail {
inline namespace v0 {

result<engine> engine::create(engine_options options) {
  auto ready = detail::prepare(std::move(options));
  if (!ready) return tl::unexpected(ready.error());
  return engine(std::make_unique<impl>(std::move(*ready)));
}

engine::engine(std::unique_ptr<impl> made) : impl_(std::move(made)) {
  auto *state = impl_.get();
  state->graph.read_detections_from(&state->detect);
  state->detect.on_detection([state](const detection &d) {
    if (state->options.correlate) state->graph.observe(d);
    state->assessed_fresh = false;
    if (state->detection_callback) state->detection_callback(d);
  });
}
engine::~engine() = default;
engine::engine(engine &&) noexcept = default;
engine &engine::operator=(engine &&) noexcept = default;

result<std::size_t> engine::feed(std::string_view bytes, std::string_view source) {
  return impl_->normalize.feed(bytes, source, impl_->sink);
}

result<std::size_t> engine::feed_padded(std::string_view bytes, std::size_t capacity, std::string_view source) {
  return impl_->normalize.feed_padded(bytes, capacity, source, impl_->sink);
}

result<std::size_t> engine::feed_path(const std::string &path, const std::function<void(const std::string &)> &on_file) {
  return impl_->normalize.feed_path(path, impl_->sink, on_file);
}

result<std::size_t> engine::feed_paths(const std::vector<std::string> &paths,
                                       const std::function<void(const std::string &)> &on_file) {
  return impl_->normalize.feed_paths(paths, impl_->sink, on_file);
}

result<std::size_t> engine::feed_buffers(const std::vector<input_buffer> &inputs,
                                        const std::function<void(const std::string &)> &on_input) {
  return impl_->normalize.feed_buffers(inputs, impl_->sink, on_input);
}

void engine::on_event(std::function<void(const event &)> callback) { impl_->callback = std::move(callback); }
void engine::on_detection(std::function<void(const detection &)> callback) {
  impl_->detection_callback = std::move(callback);
}
void engine::finish() { impl_->detect.finish(); }
void engine::advance_to(timestamp now) {
  if (impl_->options.detect) impl_->detect.advance_to(now);
}
void engine::set_cursor(std::string cursor) { impl_->cursor = std::move(cursor); }
const std::string &engine::cursor() const noexcept { return impl_->cursor; }
resolution engine::resolve(symbol identity) const { return impl_->graph.resolve(identity); }
const identity_graph &engine::graph() const noexcept { return impl_->graph; }
bool engine::correlates() const noexcept { return impl_->options.correlate; }
const std::vector<status_flag> &engine::flags() const noexcept { return impl_->flags; }

result<void> engine::flag(std::string_view identity, compromise_status status, std::optional<timestamp> since) {
  if (identity.empty()) return make_error(errc::invalid_argument, "flag: the identity is empty");
  if (status == compromise_status::potentially_compromised)
    return make_error(errc::invalid_argument,
                      "flag: potentially_compromised is set by the evidence; a person says compromised, remediated or normal");
  // "Remediated" without a time means: as of everything read so far.
  if (status == compromise_status::remediated && !since && impl_->span) since = impl_->span->second;
  impl_->flags.push_back({impl_->symbols.intern(identity), status, since});
  impl_->assessed_fresh = false;
  return {};
}

const std::vector<assessment> &engine::assessments() const {
  auto &state = *impl_;
  if (!state.assessed_fresh) {
    std::vector<symbol> keys;
    keys.reserve(state.identities.size());
    for (const auto &id : state.identities) keys.push_back(id.key);
    state.assessed = assessment_table(assess_identities(state.graph, keys, state.detect.detections(), state.flags));
    state.assessed_fresh = true;
  }
  return state.assessed.rows();
}

const assessment *engine::assessment_of(std::string_view identity) const { return evidence().assessment_of(identity); }

evidence_view engine::evidence() const {
  const auto &state = *impl_;
  return evidence_view{.symbols = state.symbols,
                       .graph = state.graph,
                       .assessments = state.assessed,
                       .events = state.events,
                       .detections = state.detect.detections(),
                       .events_retained = !state.events.empty() || state.normalize.stats().accepted == 0,
                       .refresh_assessments = [this] { (void)assessments(); }};
}

std::vector<timeline_entry> engine::timeline(std::string_view identity, timestamp since) const {
  return timeline_of(evidence(), identity, since);
}
const std::vector<detection> &engine::detections() const noexcept { return impl_->detect.detections(); }
const detector_stats &engine::detection_stats() const noexcept { return impl_->detect.stats(); }
const rule_set &engine::rules() const noexcept { return impl_->detect.rules(); }

const symbol_table &engine::symbols() const noexcept { return impl_->symbols; }
const event_store &engine::events() const noexcept { return impl_->events; }
const decode_stats &engine::stats() const noexcept { return impl_->normalize.stats(); }
const std::vector<decode_error> &engine::errors() const noexcept { return impl_->normalize.errors(); }
const std::vector<identity_summary> &engine::identities() const noexcept { return impl_->identities; }
std::optional<std::pair<timestamp, timestamp>> engine::time_span() const noexcept { return impl_->span; }

std::vector<std::pair<symbol, std::uint64_t>> engine::top_actions(std::size_t limit) const {
  std::vector<std::pair<symbol, std::uint64_t>> rows(impl_->action_counts.begin(), impl_->action_counts.end());
  const auto &symbols = impl_->symbols;
  const auto order = [&](const auto &a, const auto &b) {
    return a.second != b.second ? a.second > b.second : symbols.str(a.first) < symbols.str(b.first);
  };
  if (rows.size() > limit) {
    std::partial_sort(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(limit), rows.end(), order);
    rows.resize(limit);
  } else {
    std::sort(rows.begin(), rows.end(), order);
  }
  return rows;
}

}  // namespace v0
}  // namespace identrail
