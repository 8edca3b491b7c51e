// GET /healthz (the process answers), /readyz (the database and indexes are usable) and
// /metrics (Prometheus text). Public: they carry no content and no personal data.
#include "api/router.h"

namespace vigil::api {
namespace {

Reply Readyz(Request& r) {
  auto store = r.ctx.stores.Acquire();
  if (!store.ok()) return HttpError(503, "not_ready", store.status().message());
  // A point read proves the database answers; listing banks would count every signal.
  auto probe = (*store)->GetSignal(0);
  if (!probe.ok() && probe.status().code() != ErrorCode::kNotFound) {
    return HttpError(503, "not_ready", probe.status().message());
  }
  return JsonReply({{"status", "ready"},
                    {"pdq_signals", r.ctx.matches->pdq_count()},
                    {"exact_signals", r.ctx.matches->exact_count()}});
}

Reply MetricsText(Request& r) {
  std::vector<Metrics::Gauge> gauges{
      {"vigil_index_pdq_signals", "PDQ signals in the live index.",
       static_cast<double>(r.ctx.matches->pdq_count())},
      {"vigil_index_exact_signals", "MD5 and SHA-256 signals in the live index.",
       static_cast<double>(r.ctx.matches->exact_count())},
  };
  return TextReply(r.ctx.metrics.Render(gauges), "text/plain; version=0.0.4");
}

}  // namespace

void AddHealthRoutes(Router& router) {
  router.Add(Method::kGet, "/healthz", Access::Public(),
             [](Request&) { return JsonReply({{"status", "ok"}}); });
  router.Add(Method::kGet, "/readyz", Access::Public(), Readyz);
  router.Add(Method::kGet, "/metrics", Access::Public(), MetricsText);
}

}  // namespace vigil::api
