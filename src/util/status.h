// Errors as values. Every fallible function at a module boundary returns Status or
// Result<T>; exceptions never cross module boundaries (STYLE.md practice 3). A message
// names the input that was wrong (file, line, field) so it can reach a user unchanged.
#pragma once

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace vigil {

enum class ErrorCode {
  kOk = 0,
  kInvalidArgument,    // the caller's input is malformed (bad hash, bad CSV row, bad flag)
  kNotFound,           // a named thing (bank, file, signal) does not exist
  kAlreadyExists,      // a create collided with an existing name
  kUnsupported,        // a format or feature vigil does not handle
  kCorrupt,            // input claims a format but its bytes are broken or truncated
  kLimitExceeded,      // input exceeds a configured limit (bytes, pixels, frames, time)
  kIoError,            // the OS refused a read or write
  kFailedPrecondition, // the system is not in a state that allows the operation
  kInternal,           // a bug or an unexpected library failure
  kUnavailable,        // busy now (every slot taken); the same request may succeed later
};

std::string_view ErrorCodeName(ErrorCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}
  static Status Ok() { return Status(); }

  bool ok() const { return code_ == ErrorCode::kOk; }
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "invalid_argument: <message>", or "ok".
  std::string ToString() const;
  // Returns a copy whose message is "<context>: <message>".
  Status WithContext(std::string_view context) const;

 private:
  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
};

inline Status InvalidArgument(std::string m) { return {ErrorCode::kInvalidArgument, std::move(m)}; }
inline Status NotFound(std::string m) { return {ErrorCode::kNotFound, std::move(m)}; }
inline Status AlreadyExists(std::string m) { return {ErrorCode::kAlreadyExists, std::move(m)}; }
inline Status Unsupported(std::string m) { return {ErrorCode::kUnsupported, std::move(m)}; }
inline Status Corrupt(std::string m) { return {ErrorCode::kCorrupt, std::move(m)}; }
inline Status LimitExceeded(std::string m) { return {ErrorCode::kLimitExceeded, std::move(m)}; }
inline Status Unavailable(std::string m) { return {ErrorCode::kUnavailable, std::move(m)}; }
inline Status IoError(std::string m) { return {ErrorCode::kIoError, std::move(m)}; }
inline Status FailedPrecondition(std::string m) {
  return {ErrorCode::kFailedPrecondition, std::move(m)};
}
inline Status Internal(std::string m) { return {ErrorCode::kInternal, std::move(m)}; }

// A value or the Status explaining why there is none. Accessing value() of an error is a
// programmer error (asserted), never a user-input path.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design, like StatusOr.
  Result(Status status) : v_(std::move(status)) {  // NOLINT
    assert(!std::get<Status>(v_).ok() && "Result built from an OK status");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { assert(ok()); return std::get<T>(v_); }
  const T& value() const& { assert(ok()); return std::get<T>(v_); }
  T&& value() && { assert(ok()); return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace vigil

#define VIGIL_CONCAT_INNER(a, b) a##b
#define VIGIL_CONCAT(a, b) VIGIL_CONCAT_INNER(a, b)

// Returns the Status from the enclosing function if `expr` is not OK.
#define VIGIL_RETURN_IF_ERROR(expr)              \
  do {                                           \
    ::vigil::Status vigil_status_ = (expr);      \
    if (!vigil_status_.ok()) return vigil_status_; \
  } while (0)

// VIGIL_ASSIGN_OR_RETURN(auto x, MakeX()); binds the value or returns the error.
#define VIGIL_ASSIGN_OR_RETURN(lhs, expr) \
  VIGIL_ASSIGN_OR_RETURN_IMPL(VIGIL_CONCAT(vigil_result_, __LINE__), lhs, expr)
#define VIGIL_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                \
  if (!tmp.ok()) return tmp.status();               \
  lhs = std::move(tmp).value()
