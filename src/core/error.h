// Error types shared by every subsystem.
//  - Expected, per-record failures (a bad CSV row) are values: FieldError.
//  - Failures that end a command are typed exceptions deriving from tahadhari::Error.
//  - Programmer bugs are assert()s that no user input can reach.
// Thread-safety: value types.
#pragma once

#include <stdexcept>
#include <string>

namespace tahadhari {

/// One field of one input record that could not be used, and why.
struct FieldError {
  std::string field;   // column or field name, e.g. "event_date"
  std::string value;   // the offending value as read (possibly truncated for display)
  std::string reason;  // plain-words reason with a hint, e.g. "not a date (expected YYYY-MM-DD)"
};

/// Base of all exceptions that end a command. what() is a complete, user-facing sentence.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The command line or request was malformed (CLI exit code 2, HTTP 400).
class UsageError : public Error {
 public:
  using Error::Error;
};

/// A file could not be read or written (message carries the path and the OS reason).
class IoError : public Error {
 public:
  using Error::Error;
};

/// Input is not in any format we read (message names the formats expected).
class FormatError : public Error {
 public:
  using Error::Error;
};

/// The store could not complete an operation (message carries the SQLite reason).
class StoreError : public Error {
 public:
  using Error::Error;
};

}  // namespace tahadhari
