// The canonical one-line text of the video signal types (docs/formats.md), so a bank file
// row (CSV or JSON Lines, each line at most 1 MiB) carries a whole video hash, and hash lists
// move between vigil and Meta's python-threatexchange / HMA:
//
//  - vpdq: python-threatexchange's VPDQSignal text (extensions/vpdq/vpdq_util.py
//    vpdq_to_json): a JSON array of strings "pdq_hex,quality,timestamp_seconds", one per
//    sampled frame, in time order. vigil writes it compactly, with no spaces, lowercase hex
//    and exactly three decimals (["<64 hex>,100,0.000","<64 hex>,97,1.000"]); it reads
//    any JSON whitespace and any decimal or exponent spelling of the timestamp (Python's
//    "{:.3}" writes 1.23e+03). Frame numbers are not part of the text: parsed frames are
//    numbered 0, 1, 2, ... in list order.
//  - tmk_pdqf: the reference's .tmk file (hash/tmk.h) in standard base64 with padding.
//    python-threatexchange names this type "tmk_pdqf" but has no text form for it yet.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "hash/tmk.h"
#include "hash/vpdq.h"
#include "util/status.h"

namespace vigil {

// The longest canonical video signal text: a CSV row quotes a vPDQ text (2 more bytes per
// frame) and must stay under the bank readers' 1 MiB line limit with room for its other
// fields. About 11,500 frames: 3.2 hours at one hash per second.
inline constexpr size_t kMaxVideoSignalBytes = 900'000;

// Parses either spelling described above. Errors (kInvalidArgument) name the frame (1-based)
// and the rule: not a JSON array of strings, wrong field count, hash not 64 hex digits,
// quality not an integer 0..100, timestamp not a number of seconds 0..1e9, no frames, too long.
Result<VpdqHash> ParseVpdqSignal(std::string_view text);
// The canonical text of `hash` (frame numbers dropped).
std::string FormatVpdqSignal(const VpdqHash& hash);

// Base64 of a .tmk file. Errors: kInvalidArgument (not base64, too long), and ParseTmk's
// (kCorrupt / kUnsupported) for bytes that are not a .tmk file.
Result<TmkFeatures> ParseTmkSignal(std::string_view text);
std::string FormatTmkSignal(const TmkFeatures& features);

}  // namespace vigil
