// /v1 review routes over ReviewService (review/review_service.h): the case queue and a
// case's detail, decisions, appeals, per-bank match policies, the webhook setting, the
// audit log and API tokens. Bodies and errors follow the rest of /v1 (reply.h); each
// route names the roles it accepts in the table at the end (admin always passes).
#include <charconv>

#include "api/review_api.h"

namespace vigil::api {
namespace {

using nlohmann::json;

const Access kReviewRead = Access::Roles({Role::kReviewer, Role::kAuditor});
const Access kReview = Access::Roles({Role::kReviewer});
const Access kSubmit = Access::Roles({Role::kSubmitter});
const Access kPolicyRead = Access::Roles({Role::kCurator, Role::kReviewer, Role::kAuditor});
const Access kAdminOnly = Access::Roles({});
const Access kAudit = Access::Roles({Role::kAuditor});

json ActorJson(const Actor& a) {
  return {{"token_id", a.token_id}, {"name", a.name}, {"role", RoleName(a.role)}};
}

// A video signal's text is long (vPDQ: a line per sampled second; TMK: ~350 kB): lists
// show its start only; the case's own page (full = true) carries all of it as evidence.
json SignalText(const CaseMatch& m, bool full) {
  constexpr size_t kListChars = 80;
  if (full || !IsVideoSignalType(m.type) || m.value.size() <= kListChars) return m.value;
  return m.value.substr(0, kListChars) + "...";
}

json CaseJson(const Case& c, bool full = false) {
  json matches = json::array();
  for (const CaseMatch& m : c.matches) {
    json detail = json::parse(m.detail, nullptr, false);
    if (!detail.is_object()) detail = json::object();
    matches.push_back({{"signal_id", m.signal_id}, {"signal_type", SignalTypeName(m.type)},
                       {"signal", SignalText(m, full)}, {"bank", m.bank},
                       {"labels", m.labels},       {"distance", m.distance},
                       {"detail", std::move(detail)}});
  }
  return {{"id", c.id},           {"content_id", c.content_id}, {"content_url", c.content_url},
          {"status", CaseStatusName(c.status)}, {"priority", c.priority},
          {"created_at", c.created_at}, {"updated_at", c.updated_at}, {"matches", matches}};
}

json DecisionJson(const Decision& d) {
  return {{"id", d.id},
          {"case_id", d.case_id},
          {"decision", DecisionKindName(d.kind)},
          {"reason", d.reason},
          {"ground_type", GroundTypeName(d.ground_type)},
          {"ground", d.ground},
          {"dispute_signal", d.dispute == SignalDispute::kMarkDisputed},
          {"automated", d.automation == Automation::kAutomated},
          {"by", ActorJson(d.actor)},
          {"decided_at", d.decided_at}};
}

json AppealJson(const Appeal& a) {
  json j = {{"id", a.id},          {"case_id", a.case_id},        {"text", a.text},
            {"filed_by", ActorJson(a.filed_by)}, {"filed_at", a.filed_at},
            {"outcome", nullptr},  {"outcome_reason", a.outcome_reason},
            {"decided_by", nullptr}, {"decided_at", a.decided_at}};
  if (a.outcome) j["outcome"] = AppealOutcomeName(*a.outcome);
  if (a.decided_by) j["decided_by"] = ActorJson(*a.decided_by);
  return j;
}

json DeliveryJson(const WebhookDelivery& w) {
  return {{"id", w.id},
          {"kind", WebhookKindName(w.kind)},
          {"status", DeliveryStatusName(w.status)},
          {"attempts", w.attempts},
          {"next_attempt_at", w.next_attempt_at},
          {"last_error", w.last_error},
          {"created_at", w.created_at},
          {"delivered_at", w.delivered_at ? json(*w.delivered_at) : json(nullptr)},
          {"body", json::parse(w.payload, nullptr, false)}};
}

template <typename T>
json Array(const std::vector<T>& items, json (*fn)(const T&)) {
  json out = json::array();
  for (const T& item : items) out.push_back(fn(item));
  return out;
}

Result<json> JsonObject(const httplib::Request& req) {
  json body = json::parse(req.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) return InvalidArgument("expected a JSON object body");
  return body;
}

// Reads an optional field of `body` into `out`, or names the field that is wrong.
template <typename T>
Status Field(const json& body, const char* name, T* out) {
  if (!body.contains(name) || body[name].is_null()) return Status::Ok();
  try {
    *out = body[name].get<T>();
  } catch (const json::exception&) {
    return InvalidArgument(std::string("field '") + name + "' has the wrong type");
  }
  return Status::Ok();
}

// Parses `text` as a whole number in [0, max], or names the parameter.
Result<int64_t> Number(std::string_view name, const std::string& text, int64_t max) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || v < 0 || v > max) {
    return InvalidArgument(std::string(name) + " '" + text + "' must be a whole number from 0 to " +
                           std::to_string(max));
  }
  return v;
}

Result<int64_t> CaseId(Request& r) { return Number("case id", r.Param(1), INT64_MAX); }

Reply ListCases(Request& r, ReviewApi& api) {
  const httplib::Request& q = r.http;
  CaseFilter f;
  if (q.has_param("status")) {
    f.status = ParseCaseStatus(q.get_param_value("status"));
    if (!f.status) return ErrorReply(InvalidArgument("unknown status '" + q.get_param_value("status") + "'"));
  }
  if (q.has_param("bank")) f.bank = q.get_param_value("bank");
  if (q.has_param("label")) f.label = q.get_param_value("label");
  std::string order = q.has_param("order") ? q.get_param_value("order") : "oldest";
  if (order != "oldest" && order != "priority") {
    return ErrorReply(InvalidArgument("order '" + order + "' must be oldest or priority"));
  }
  f.order = order == "priority" ? CaseOrder::kPriorityFirst : CaseOrder::kOldestFirst;
  const int64_t now = api.clock().NowUnix();
  for (const char* name : {"min_age", "max_age", "limit", "offset"}) {
    if (!q.has_param(name)) continue;
    auto v = Number(name, q.get_param_value(name), 1'000'000'000);
    if (!v.ok()) return ErrorReply(v.status());
    if (name == std::string_view("min_age")) f.created_before = now - *v;
    if (name == std::string_view("max_age")) f.created_after = now - *v;
    if (name == std::string_view("limit")) f.limit = static_cast<size_t>(*v);
    if (name == std::string_view("offset")) f.offset = static_cast<size_t>(*v);
  }
  return api.WithService([&](ReviewService& s) {
    auto cases = s.ListCases(f);
    return cases.ok() ? JsonReply({{"cases", Array(*cases, +[](const Case& c) { return CaseJson(c); })}}) : ErrorReply(cases.status());
  });
}

Reply GetCase(Request& r, ReviewApi& api) {
  auto id = CaseId(r);
  if (!id.ok()) return ErrorReply(id.status());
  return api.WithService([&](ReviewService& s) {
    auto d = s.GetCase(*id);
    if (!d.ok()) return ErrorReply(d.status());
    json out = CaseJson(d->c, /*full=*/true);
    out["decisions"] = Array(d->decisions, DecisionJson);
    out["appeals"] = Array(d->appeals, AppealJson);
    out["deliveries"] = Array(d->deliveries, DeliveryJson);
    out["earlier_decisions_on_signals"] = Array(d->earlier_decisions_on_signals, DecisionJson);
    return JsonReply(out);
  });
}

// {"decision": "remove"|"keep"|"escalate", "reason": "...", "ground_type": "legal"|"terms",
//  "ground": "...", "dispute_signal": false}
Reply Decide(Request& r, ReviewApi& api) {
  auto id = CaseId(r);
  auto body = JsonObject(r.http);
  if (!id.ok() || !body.ok()) return ErrorReply(id.ok() ? body.status() : id.status());
  std::string kind, ground_type = "terms";
  bool dispute = false;
  DecisionInput in;
  for (Status s : {Field(*body, "decision", &kind), Field(*body, "reason", &in.reason),
                   Field(*body, "ground_type", &ground_type), Field(*body, "ground", &in.ground),
                   Field(*body, "dispute_signal", &dispute)}) {
    if (!s.ok()) return ErrorReply(s);
  }
  auto k = ParseDecisionKind(kind);
  if (!k) return ErrorReply(InvalidArgument("decision '" + kind + "' must be remove, keep or escalate"));
  auto g = ParseGroundType(ground_type);
  if (!g) return ErrorReply(InvalidArgument("ground_type '" + ground_type + "' must be legal or terms"));
  in.kind = *k;
  in.ground_type = *g;
  in.dispute = dispute ? SignalDispute::kMarkDisputed : SignalDispute::kNo;
  return api.WithService([&](ReviewService& s) {
    auto d = s.Decide(*id, in, r.actor);
    return d.ok() ? JsonReply(DecisionJson(*d), 201) : ErrorReply(d.status());
  });
}

// {"text": "..."}: the uploader's complaint, without personal data.
Reply FileAppeal(Request& r, ReviewApi& api) {
  auto id = CaseId(r);
  auto body = JsonObject(r.http);
  if (!id.ok() || !body.ok()) return ErrorReply(id.ok() ? body.status() : id.status());
  std::string text;
  if (Status s = Field(*body, "text", &text); !s.ok()) return ErrorReply(s);
  return api.WithService([&](ReviewService& s) {
    auto a = s.FileAppeal(*id, text, r.actor);
    return a.ok() ? JsonReply(AppealJson(*a), 201) : ErrorReply(a.status());
  });
}

// {"outcome": "upheld"|"rejected", "reason": "...", "dispute_signal": false}
Reply DecideAppeal(Request& r, ReviewApi& api) {
  auto id = CaseId(r);
  auto body = JsonObject(r.http);
  if (!id.ok() || !body.ok()) return ErrorReply(id.ok() ? body.status() : id.status());
  std::string outcome;
  bool dispute = false;
  AppealDecisionInput in;
  for (Status s : {Field(*body, "outcome", &outcome), Field(*body, "reason", &in.reason),
                   Field(*body, "dispute_signal", &dispute)}) {
    if (!s.ok()) return ErrorReply(s);
  }
  auto o = ParseAppealOutcome(outcome);
  if (!o) return ErrorReply(InvalidArgument("outcome '" + outcome + "' must be upheld or rejected"));
  in.outcome = *o;
  in.dispute = dispute ? SignalDispute::kMarkDisputed : SignalDispute::kNo;
  return api.WithService([&](ReviewService& s) {
    auto a = s.DecideAppeal(*id, in, r.actor);
    return a.ok() ? JsonReply(AppealJson(*a)) : ErrorReply(a.status());
  });
}

json PolicyJson(const BankPolicy& p) {
  return {{"bank", p.bank}, {"policy", MatchPolicyName(p.policy)}, {"verified", p.verified}};
}

Reply GetPolicy(Request& r, ReviewApi& api) {
  return api.WithService([&](ReviewService& s) {
    auto p = s.GetBankPolicy(r.Param(1));
    return p.ok() ? JsonReply(PolicyJson(*p)) : ErrorReply(p.status());
  });
}

// {"verified": true, "policy": "auto"}; either may be left out. Verification is applied
// first, so one call can verify a bank and set it to auto.
Reply SetPolicy(Request& r, ReviewApi& api) {
  auto body = JsonObject(r.http);
  if (!body.ok()) return ErrorReply(body.status());
  std::optional<bool> verified;
  std::string policy;
  if (body->contains("verified")) {
    bool v = false;
    if (Status s = Field(*body, "verified", &v); !s.ok()) return ErrorReply(s);
    verified = v;
  }
  if (Status s = Field(*body, "policy", &policy); !s.ok()) return ErrorReply(s);
  auto p = policy.empty() ? std::optional<MatchPolicy>() : ParseMatchPolicy(policy);
  if (!policy.empty() && !p) return ErrorReply(InvalidArgument("policy '" + policy + "' must be review or auto"));
  return api.WithService([&](ReviewService& s) {
    const std::string bank = r.Param(1);
    Status st;
    if (verified) {
      st = s.SetBankVerification(bank, *verified ? BankVerification::kVerified
                                                 : BankVerification::kUnverified, r.actor);
    }
    if (st.ok() && p) st = s.SetBankPolicy(bank, *p, r.actor);
    if (!st.ok()) return ErrorReply(st);
    auto now = s.GetBankPolicy(bank);
    return now.ok() ? JsonReply(PolicyJson(*now)) : ErrorReply(now.status());
  });
}

// {"url": "https://...", "secret": "..."}
Reply SetWebhook(Request& r, ReviewApi& api) {
  auto body = JsonObject(r.http);
  if (!body.ok()) return ErrorReply(body.status());
  std::string url, secret;
  for (Status s : {Field(*body, "url", &url), Field(*body, "secret", &secret)}) {
    if (!s.ok()) return ErrorReply(s);
  }
  return api.WithService([&](ReviewService& s) {
    Status st = s.SetWebhookEndpoint(url, secret, r.actor);
    return st.ok() ? JsonReply({{"url", url}}) : ErrorReply(st);
  });
}

Reply ListAudit(Request& r, ReviewApi& api) {
  int64_t limit = 100;
  std::optional<int64_t> before;
  if (r.http.has_param("limit")) {
    auto v = Number("limit", r.http.get_param_value("limit"), 1000);
    if (!v.ok()) return ErrorReply(v.status());
    limit = *v;
  }
  if (r.http.has_param("before")) {
    auto v = Number("before", r.http.get_param_value("before"), INT64_MAX);
    if (!v.ok()) return ErrorReply(v.status());
    before = *v;
  }
  return api.WithAudit([&](AuditLog& log) {
    auto events = log.List(static_cast<size_t>(limit), before);
    if (!events.ok()) return ErrorReply(events.status());
    json out = json::array();
    for (const AuditEvent& e : *events) {
      out.push_back({{"id", e.id}, {"at", e.at}, {"actor", ActorJson(e.actor)},
                     {"action", e.record.action}, {"object_type", e.record.object_type},
                     {"object_id", e.record.object_id},
                     {"detail", json::parse(e.record.detail, nullptr, false)},
                     {"hash", e.hash_hex}});
    }
    return JsonReply({{"events", out}});
  });
}

Reply VerifyAudit(Request&, ReviewApi& api) {
  return api.WithAudit([](AuditLog& log) {
    auto v = log.Verify();
    if (!v.ok()) return ErrorReply(v.status());
    json out = {{"ok", v->ok}, {"events", v->events}, {"first_bad_id", nullptr},
                {"problem", v->problem}, {"head_hash", v->head_hash_hex}};
    if (v->first_bad_id) out["first_bad_id"] = *v->first_bad_id;
    return JsonReply(out);
  });
}

json TokenJson(const TokenInfo& t) {
  return {{"id", t.id}, {"name", t.name}, {"role", RoleName(t.role)}, {"created_at", t.created_at},
          {"revoked_at", t.revoked_at ? json(*t.revoked_at) : json(nullptr)}};
}

Reply ListTokens(Request&, ReviewApi& api) {
  return api.WithTokens([](TokenStore& s) {
    auto tokens = s.ListTokens();
    return tokens.ok() ? JsonReply({{"tokens", Array(*tokens, TokenJson)}})
                       : ErrorReply(tokens.status());
  });
}

// {"name": "...", "role": "reviewer"} -> the token with its secret, shown this once.
Reply CreateToken(Request& r, ReviewApi& api) {
  auto body = JsonObject(r.http);
  if (!body.ok()) return ErrorReply(body.status());
  std::string name, role;
  for (Status s : {Field(*body, "name", &name), Field(*body, "role", &role)}) {
    if (!s.ok()) return ErrorReply(s);
  }
  auto parsed = ParseRole(role);
  if (!parsed) return ErrorReply(InvalidArgument("unknown role '" + role + "'"));
  return api.WithTokens([&](TokenStore& s) {
    auto t = s.CreateToken(name, *parsed, r.actor);
    if (!t.ok()) return ErrorReply(t.status());
    json out = TokenJson(t->info);
    out["secret"] = t->secret;
    return JsonReply(out, 201);
  });
}

Reply RevokeToken(Request& r, ReviewApi& api) {
  return api.WithTokens([&](TokenStore& s) {
    Status st = s.RevokeToken(r.Param(1), r.actor);
    if (st.ok()) r.ctx.tokens.Clear();  // the revoked secret stops working now, not in 2 s
    return st.ok() ? JsonReply({{"revoked", r.Param(1)}}) : ErrorReply(st);
  });
}

}  // namespace

void AddReviewRoutes(Router& router, ReviewApi& api) {
  using Fn = Reply (*)(Request&, ReviewApi&);
  auto add = [&router, &api](Method m, const std::string& pattern, Access access, Fn fn) {
    router.Add(m, pattern, access, [&api, fn](Request& r) { return fn(r, api); });
  };
  const std::string one_case = R"(/v1/cases/(\d{1,18}))";
  add(Method::kGet, "/v1/cases", kReviewRead, ListCases);
  add(Method::kGet, one_case, kReviewRead, GetCase);
  add(Method::kPost, one_case + "/decision", kReview, Decide);
  add(Method::kPost, one_case + "/appeal", kSubmit, FileAppeal);
  add(Method::kPost, one_case + "/appeal/decision", kReview, DecideAppeal);
  add(Method::kGet, "/v1/banks/([A-Za-z0-9_.-]+)/policy", kPolicyRead, GetPolicy);
  add(Method::kPut, "/v1/banks/([A-Za-z0-9_.-]+)/policy", kAdminOnly, SetPolicy);
  add(Method::kPut, "/v1/settings/webhook", kAdminOnly, SetWebhook);
  add(Method::kGet, "/v1/audit", kAudit, ListAudit);
  add(Method::kGet, "/v1/audit/verify", kAudit, VerifyAudit);
  add(Method::kGet, "/v1/tokens", kAdminOnly, ListTokens);
  add(Method::kPost, "/v1/tokens", kAdminOnly, CreateToken);
  add(Method::kDelete, "/v1/tokens/([A-Za-z0-9_.@-]+)", kAdminOnly, RevokeToken);
}

}  // namespace vigil::api
