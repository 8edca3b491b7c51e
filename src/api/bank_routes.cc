// /v1 banks and signals: create, list, show, delete banks; add, show, update (disable,
// opinion) and remove signals; import and export, both streamed. Every change reaches the live indexes
// before the reply, so the next lookup sees it.
#include <cstdlib>
#include <memory>

#include "api/uploads.h"
#include "store/paged_export.h"
#include "store/streamed_import.h"

namespace vigil::api {
namespace {

const Access kCurate = Access::Roles({Role::kCurator});
const Access kRead = Access::Roles({Role::kCurator, Role::kReviewer, Role::kAuditor});

nlohmann::json BankJson(const Bank& b) {
  return {{"id", b.id},          {"name", b.name},       {"description", b.description},
          {"enabled", b.enabled}, {"labels", b.labels},   {"created_at", b.created_at},
          {"signal_count", b.signal_count}, {"enabled_signal_count", b.enabled_signal_count}};
}

nlohmann::json SignalJson(const Signal& s) {
  nlohmann::json j{{"id", s.id},         {"bank_id", s.bank_id},   {"signal_type", SignalTypeName(s.type)},
                   {"signal", s.value},  {"labels", s.labels},     {"source", s.source},
                   {"added_at", s.added_at}, {"disabled", s.disabled},
                   {"opinion", OpinionName(s.opinion)}, {"quality", nullptr}};
  if (s.quality) j["quality"] = *s.quality;
  return j;
}

// Parses the JSON body as an object or says why not.
Result<nlohmann::json> JsonBody(const httplib::Request& req) {
  nlohmann::json body = nlohmann::json::parse(req.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) return InvalidArgument("expected a JSON object body");
  return body;
}

// Reads an optional field of `body` of type T, or says which field was wrong.
template <typename T>
Status Field(const nlohmann::json& body, const char* name, T* out) {
  if (!body.contains(name) || body[name].is_null()) return Status::Ok();
  try {
    *out = body[name].get<T>();
  } catch (const nlohmann::json::exception&) {
    return InvalidArgument(std::string("field '") + name + "' has the wrong type");
  }
  return Status::Ok();
}

// Runs `fn` with a pooled store; any error becomes the reply.
template <typename Fn>
Reply WithStore(Request& r, Fn fn) {
  auto store = r.ctx.stores.Acquire();
  if (!store.ok()) return ErrorReply(store.status());
  (*store)->SetActor(r.actor);  // audit events name the token, not "cli"
  return fn(**store);
}

Reply ListBanks(Request& r) {
  return WithStore(r, [](BankStore& s) {
    auto banks = s.ListBanks();
    if (!banks.ok()) return ErrorReply(banks.status());
    nlohmann::json out = nlohmann::json::array();
    for (const Bank& b : *banks) out.push_back(BankJson(b));
    return JsonReply({{"banks", out}});
  });
}

Reply CreateBank(Request& r) {
  auto body = JsonBody(r.http);
  if (!body.ok()) return ErrorReply(body.status());
  BankSpec spec;
  for (Status s : {Field(*body, "name", &spec.name), Field(*body, "description", &spec.description),
                   Field(*body, "enabled", &spec.enabled), Field(*body, "labels", &spec.labels)}) {
    if (!s.ok()) return ErrorReply(s);
  }
  return WithStore(r, [&](BankStore& s) {
    auto bank = s.CreateBank(spec);
    if (!bank.ok()) return ErrorReply(bank.status());
    r.ctx.matches->AddBank(*bank);
    return JsonReply(BankJson(*bank), 201);
  });
}

Reply GetBank(Request& r) {
  return WithStore(r, [&](BankStore& s) {
    auto bank = s.GetBank(r.Param(1));
    return bank.ok() ? JsonReply(BankJson(*bank)) : ErrorReply(bank.status());
  });
}

Reply DeleteBank(Request& r) {
  return WithStore(r, [&](BankStore& s) {
    Status st = s.DeleteBank(r.Param(1));
    if (st.ok()) st = r.ctx.matches->Reload(s);
    return st.ok() ? JsonReply({{"deleted", r.Param(1)}}) : ErrorReply(st);
  });
}

Reply AddSignal(Request& r) {
  auto body = JsonBody(r.http);
  if (!body.ok()) return ErrorReply(body.status());
  Signal sig;
  std::string type_name = "pdq";
  int quality = -1;
  for (Status s : {Field(*body, "signal_type", &type_name), Field(*body, "signal", &sig.value),
                   Field(*body, "labels", &sig.labels), Field(*body, "source", &sig.source),
                   Field(*body, "quality", &quality)}) {
    if (!s.ok()) return ErrorReply(s);
  }
  auto type = ParseSignalTypeName(type_name);
  if (!type) return ErrorReply(InvalidArgument("unknown signal_type '" + type_name + "'"));
  sig.type = *type;
  if (quality >= 0) sig.quality = quality;
  if (sig.type == SignalType::kPdq && quality >= 0 && quality < kPdqMinQuality) {
    return ErrorReply(InvalidArgument("quality " + std::to_string(quality) +
                                      " is below 50: PDQ hashes this weak are not matched"));
  }
  return WithStore(r, [&](BankStore& s) {
    auto added = s.AddSignal(r.Param(1), sig);
    if (!added.ok()) return ErrorReply(added.status());
    Status live = r.ctx.matches->AddSignal(*added);
    return live.ok() ? JsonReply(SignalJson(*added), 201) : ErrorReply(live);
  });
}

Reply GetSignal(Request& r) {
  return WithStore(r, [&](BankStore& s) {
    auto sig = s.GetSignal(std::stoll(r.Param(1)));
    return sig.ok() ? JsonReply(SignalJson(*sig)) : ErrorReply(sig.status());
  });
}

// PATCH {"disabled": bool, "opinion": "confirmed"|"disputed"|""}.
Reply UpdateSignal(Request& r) {
  auto body = JsonBody(r.http);
  if (!body.ok()) return ErrorReply(body.status());
  int64_t id = std::stoll(r.Param(1));
  return WithStore(r, [&](BankStore& s) {
    if (body->contains("disabled")) {
      bool disabled = false;
      Status st = Field(*body, "disabled", &disabled);
      if (st.ok()) st = s.SetSignalDisabled(id, disabled);
      if (!st.ok()) return ErrorReply(st);
    }
    if (body->contains("opinion")) {
      std::string text;
      Status st = Field(*body, "opinion", &text);
      auto opinion = ParseOpinion(text);
      if (st.ok() && !opinion) st = InvalidArgument("opinion must be confirmed, disputed or empty");
      if (st.ok()) st = s.SetSignalOpinion(id, *opinion);
      if (!st.ok()) return ErrorReply(st);
    }
    auto sig = s.GetSignal(id);
    if (!sig.ok()) return ErrorReply(sig.status());
    r.ctx.matches->RemoveSignal(id);  // re-add only if still matchable
    Status live = sig->disabled ? Status::Ok() : r.ctx.matches->AddSignal(*sig);
    return live.ok() ? JsonReply(SignalJson(*sig)) : ErrorReply(live);
  });
}

Reply RemoveSignal(Request& r) {
  int64_t id = std::stoll(r.Param(1));
  return WithStore(r, [&](BankStore& s) {
    Status st = s.RemoveSignal(id);
    if (!st.ok()) return ErrorReply(st);
    r.ctx.matches->RemoveSignal(id);
    return JsonReply({{"deleted", id}});
  });
}

BankFormat FormatParam(const httplib::Request& req) {
  std::string f = req.get_param_value("format");
  return f == "jsonl" || f == "json" ? BankFormat::kJsonLines : BankFormat::kCsv;
}

nlohmann::json ReportJson(const ImportReport& rep) {
  nlohmann::json errors = nlohmann::json::array();
  for (const RowError& e : rep.errors) errors.push_back({{"line", e.line}, {"message", e.message}});
  return {{"committed", rep.committed},         {"rows_read", rep.rows_read},
          {"rows_inserted", rep.rows_inserted}, {"rows_duplicate", rep.rows_duplicate},
          {"rows_invalid", rep.rows_invalid},   {"errors", errors}};
}

// Feeds the streamed request body to `import` as it arrives, under max_import_bytes.
// Returns why the body could not be read whole; then nothing may be committed.
Status FeedBody(Request& r, StreamedImport& import) {
  const size_t cap = r.ctx.options.max_import_bytes;
  const std::string over = "the import body is over the limit of " + std::to_string(cap) +
                           " bytes (vigil serve --max-import-bytes)";
  if (std::strtoull(r.http.get_header_value("Content-Length").c_str(), nullptr, 10) > cap) {
    return LimitExceeded(over);
  }
  size_t received = 0;
  bool over_cap = false;
  bool whole = (*r.body_reader)([&](const char* data, size_t size) {
    received += size;
    if (received > cap) return !(over_cap = true);  // a chunked body has no length up front
    import.Feed({data, size});
    return true;
  });
  if (over_cap) return LimitExceeded(over);
  if (!whole) {
    return InvalidArgument("the import body ended after " + std::to_string(received) +
                           " bytes, before its end; nothing was imported");
  }
  return Status::Ok();
}

// The body is the CSV or JSON Lines file, streamed into the importer while it arrives
// (store/streamed_import.h): memory use does not grow with the body, which may be far
// larger than max_body_bytes. All rows or none; the live index is rebuilt off-lock after
// a commit while lookups continue on the old one.
Reply ImportSignals(Request& r) {
  if (r.body_reader == nullptr) return ErrorReply(Internal("the import route is not streamed"));
  return WithStore(r, [&](BankStore& s) {
    ImportOptions options{FormatParam(r.http), r.http.get_param_value("source")};
    if (options.source.empty()) options.source = "api";
    Result<ImportReport> report = [&]() -> Result<ImportReport> {
      StreamedImport import(s, r.Param(1), options);  // owns `s` until Finish or Abort
      Status body = FeedBody(r, import);
      if (!body.ok()) return import.Abort(body);
      return import.Finish();
    }();
    if (!report.ok()) return ErrorReply(report.status());
    if (!report->committed) return JsonReply(ReportJson(*report), 422);
    Status st = r.ctx.matches->Reload(s);
    return st.ok() ? JsonReply(ReportJson(*report)) : ErrorReply(st);
  });
}

// Sent in pages (store/paged_export.h) as the client reads, each page on a pooled
// connection of its own: a 10M-signal bank never sits in memory. The first page is read
// before replying, so a missing bank is a plain 404 rather than a cut stream.
Reply ExportSignals(Request& r) {
  BankFormat format = FormatParam(r.http);
  auto pages = std::make_shared<PagedExport>(r.Param(1), format);
  auto first = std::make_shared<std::string>();
  {
    auto store = r.ctx.stores.Acquire();
    if (!store.ok()) return ErrorReply(store.status());
    Result<bool> read = pages->NextPage(**store, first.get());
    if (!read.ok()) return ErrorReply(read.status());
  }
  Reply reply = TextReply("", format == BankFormat::kCsv ? "text/csv" : "application/x-ndjson");
  ApiContext* ctx = &r.ctx;
  reply.stream = [ctx, pages, first](std::string* out) -> Result<bool> {
    if (!first->empty()) {
      out->swap(*first);
      return true;
    }
    VIGIL_ASSIGN_OR_RETURN(auto store, ctx->stores.Acquire());
    return pages->NextPage(*store, out);
  };
  return reply;
}

}  // namespace

void AddBankRoutes(Router& router) {
  const std::string bank = "/v1/banks/([A-Za-z0-9_.-]+)";
  const std::string signal = R"(/v1/signals/(\d{1,18}))";
  router.Add(Method::kGet, "/v1/banks", kRead, ListBanks);
  router.Add(Method::kPost, "/v1/banks", kCurate, CreateBank);
  router.Add(Method::kGet, bank, kRead, GetBank);
  router.Add(Method::kDelete, bank, kCurate, DeleteBank);
  router.Add(Method::kPost, bank + "/signals", kCurate, AddSignal);
  router.Add(Method::kPost, bank + "/import", kCurate, ImportSignals, Body::kStreamed);
  router.Add(Method::kGet, bank + "/export", kRead, ExportSignals);
  router.Add(Method::kGet, signal, kRead, GetSignal);
  router.Add(Method::kPatch, signal, kCurate, UpdateSignal);
  router.Add(Method::kDelete, signal, kCurate, RemoveSignal);
}

}  // namespace vigil::api
