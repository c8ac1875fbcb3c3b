#include "detector_impl.hpp"

namespace identrail {
inline namespace v0 {

detector::detector(rule_set rules, symbol_table &symbols, detector_options options)
    : impl_(std::make_unique<impl>(std::move(rules), symbols, options)) {}
detector::~detector() = default;
detector::detector(detector &&) noexcept = default;
detector &detector::operator=(detector &&) noexcept = default;

void detector::process(const event &e) { impl_->take(e); }
void detector::finish() { impl_->finish(); }
void detector::advance_to(timestamp now) { impl_->advance_to(to_unix_nanos(now)); }
void detector::on_detection(std::function<void(const detection &)> callback) { impl_->callback = std::move(callback); }
const std::vector<detection> &detector::detections() const noexcept { return impl_->book.live(); }
const detection *detector::find(std::string_view id) const { return impl_->book.find(id); }
const detector_stats &detector::stats() const noexcept { return impl_->stats; }
const rule_set &detector::rules() const noexcept { return impl_->rules; }

std::vector<rule_cost> detector::rule_costs() const {
  const auto &sampler = impl_->costs;
  std::vector<rule_cost> out;
  if (sampler.sampled_calls == 0 || impl_->stats.events == 0) return out;
  // Sampled time scaled to every evaluation, then spread over the events.
  const double scale = static_cast<double>(sampler.calls) / static_cast<double>(sampler.sampled_calls) /
                       static_cast<double>(impl_->stats.events);
  const auto &compiled = impl_->rules.compiled()->rules;
  for (std::size_t i = 0; i < compiled.size(); ++i)
    out.push_back({compiled[i].info.id, sampler.runs[i], static_cast<double>(sampler.nanos[i]) * scale});
  return out;
}

}  // namespace v0
}  // namespace identrail
