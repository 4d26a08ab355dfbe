// core/: the vocabulary every other subsystem speaks — Event, Actor, dates, typed units and
// error types. Depends on nothing of ours. Thread-safety: all types are values; functions are
// pure and safe to call concurrently.
#pragma once

#include "core/date.h"
#include "core/error.h"
#include "core/event.h"
#include "core/paths.h"
#include "core/units.h"
