// Private: a non-owning reference to a callable, for callbacks that live no
// longer than the call they are passed to. std::function would allocate for
// a lambda capturing more than two references, on every call.
#pragma once

#include <memory>
#include <type_traits>
#include <utility>

namespace identrail {
inline namespace v0 {
namespace detail {

template <class Signature>
class function_ref;

template <class R, class... Args>
class function_ref<R(Args...)> {
 public:
  template <class F, class = std::enable_if_t<!std::is_same_v<std::decay_t<F>, function_ref>>>
  function_ref(F &&f) noexcept  // NOLINT: converts from any callable, as std::function does
      : object_(const_cast<void *>(static_cast<const void *>(std::addressof(f)))),
        call_([](void *object, Args... args) -> R {
          return (*static_cast<std::remove_reference_t<F> *>(object))(std::forward<Args>(args)...);
        }) {}

  R operator()(Args... args) const { return call_(object_, std::forward<Args>(args)...); }

 private:
  void *object_;
  R (*call_)(void *, Args...);
};

}  // namespace detail
}  // namespace v0
}  // namespace identrail
