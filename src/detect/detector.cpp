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
const detector_stats &detector::stats() const noexcept { return impl_->stats; }
const rule_set &detector::rules() const noexcept { return impl_->rules; }

}  // namespace v0
}  // namespace identrail
