#include "review/statement_of_reasons.h"

#include <nlohmann/json.hpp>

#include "review/match_detail.h"
#include "store/unix_time.h"

namespace vigil {
namespace {

using Json = nlohmann::ordered_json;

// What the uploader can do next; the platform fills in its own channels (docs/webhooks.md).
Json Redress(WebhookKind kind) {
  if (kind == WebhookKind::kReinstate) {
    return {{"internal_complaint", "The complaint was upheld; no further complaint is needed."},
            {"out_of_court_settlement", "available (DSA Art. 21)"},
            {"judicial_redress", "available"}};
  }
  return {{"internal_complaint",
           "The uploader may complain through the platform's complaint system within six "
           "months; a different reviewer re-examines the decision (DSA Art. 20)."},
          {"out_of_court_settlement",
           "A certified out-of-court dispute settlement body may be chosen (DSA Art. 21)."},
          {"judicial_redress", "The decision may be challenged before the competent court."}};
}

Json Matches(const Case& c) {
  Json out = Json::array();
  for (const CaseMatch& m : c.matches) {
    Json entry = {{"bank", m.bank},
                  {"signal_type", SignalTypeName(m.type)},
                  {"signal_id", m.signal_id},
                  {"distance", m.distance},
                  {"labels", m.labels}};
    // A video match names the seconds that matched, so the platform (and the uploader,
    // through the statement) can see which part of the video the decision is about.
    Json detail = Json::parse(m.detail, nullptr, false);
    if (detail.is_object() && !detail.empty()) entry["video"] = std::move(detail);
    out.push_back(std::move(entry));
  }
  return out;
}

std::string Facts(const StatementInput& in) {
  const CaseMatch* first = in.c->matches.empty() ? nullptr : &in.c->matches.front();
  std::string facts = "The content matched " + std::to_string(in.c->matches.size()) +
                      " known item(s) of terrorist content by hash";
  if (first) {
    facts += " (first: " + std::string(SignalTypeName(first->type)) + " signal in list '" +
             first->bank + "', distance " + std::to_string(first->distance);
    std::string segments = DescribeSegments(first->detail);
    if (!segments.empty()) facts += "; matched video time ranges: " + segments;
    facts += ")";
  }
  facts += ". " + in.decision->reason;
  if (in.kind == WebhookKind::kReinstate) {
    facts = "On appeal, the removal of " + FormatIsoTime(in.reversed->decided_at) +
            " was reversed. " + in.decision->reason;
  }
  return facts;
}

}  // namespace

std::string BuildWebhookPayload(const StatementInput& in) {
  const bool reinstate = in.kind == WebhookKind::kReinstate;
  // The ground stays that of the removal even when it is reversed, so the platform can
  // match the two notices.
  const Decision& grounded = reinstate ? *in.reversed : *in.decision;
  const bool legal = grounded.ground_type == GroundType::kLegal;
  const bool automated_decision = in.decision->automation == Automation::kAutomated;
  Json sor = {
      {"decision",
       {{"restriction", reinstate ? "reinstatement" : "removal"},
        {"scope", "the content item named by content_id, on every surface of the service"},
        {"territorial_scope", "worldwide"},
        {"duration", reinstate ? "not applicable" : "indefinite"},
        {"decided_at", FormatIsoTime(in.decision->decided_at)}}},
      {"facts_and_circumstances", Facts(in)},
      {"matched_signals", Matches(*in.c)},
      {"automated_detection", true},  // every case starts from an automated hash match
      {"automated_decision", automated_decision ? "fully_automated" : "not_automated"},
      {"ground",
       {{"type", legal ? "illegal_content" : "incompatible_with_terms"},
        {"reference", grounded.ground},
        {"explanation", grounded.reason}}},
      {"redress", Redress(in.kind)},
  };
  Json body = {
      {"event_id", std::string(reinstate ? "appeal-" : "decision-") +
                       std::to_string(in.decision->id)},
      {"type", reinstate ? "content.reinstate" : "content.remove"},
      {"case_id", in.c->id},
      {"content_id", in.c->content_id},
      {"statement_of_reasons", std::move(sor)},
  };
  return body.dump();
}

}  // namespace vigil
