#include "audit_service.hpp"

#include <google/protobuf/util/time_util.h>

#include <chrono>
#include <cstdio>

#include "audit/audit_log.hpp"
#include "audit_convert.hpp"
#include "db/unit_of_work.hpp"
#include "request.hpp"

namespace regie::audit {
namespace {

using google::protobuf::util::TimeUtil;

constexpr char kEntriesKind[] = "entries";
constexpr char kResourceEventsKind[] = "resource-events";
constexpr char kCheckpointsKind[] = "checkpoints";

std::int64_t ParseSeqToken(const std::string& payload, Validation& v) {
  if (payload.empty()) {
    return 0;
  }
  try {
    return std::stoll(payload);
  } catch (const std::exception&) {
    v.Add("page_token", "is not a page token returned by this list");
    return 0;
  }
}

}  // namespace

AuditService::AuditService(const rpc::RpcBoundary& boundary, db::ConnectionPool& pool)
    : boundary_(boundary), pool_(pool) {}

grpc::Status AuditService::GetLogState(grpc::ServerContext* context,
                                       const v1::GetLogStateRequest* request,
                                       v1::LogState* response) {
  return boundary_.Run(context, *request, "", [&](const rpc::Call& call) {
    LogState state;
    db::RunTransaction(pool_, call.deadline,
                       {.isolation = db::Isolation::kRepeatableRead, .read_only = true},
                       [&](db::Work& tx) { state = ReadLogState(tx); });
    response->set_sealed_size(state.sealed_size);
    response->set_pending_events(state.pending_events);
    if (state.latest_checkpoint) {
      ToProto(*state.latest_checkpoint, response->mutable_latest_checkpoint());
    }
  });
}

grpc::Status AuditService::ListEntries(grpc::ServerContext* context,
                                       const v1::ListEntriesRequest* request,
                                       v1::ListEntriesResponse* response) {
  return boundary_.Run(context, *request, "", [&](const rpc::Call& call) {
    Validation v;
    const int page_size = PageSize(request->page_size(), 500, 1000, v);
    if (request->start_seq() < 0) {
      v.Add("start_seq", "must not be negative");
    }
    std::int64_t start = std::max<std::int64_t>(1, request->start_seq());
    if (const auto next = ParseSeqToken(DecodePageToken(kEntriesKind, request->page_token(), v), v);
        next > 0) {
      start = next;
    }
    v.ThrowIfAny();
    std::vector<ChainEntry> entries;
    db::RunTransaction(pool_, call.deadline, {.read_only = true},
                       [&](db::Work& tx) { entries = ReadEntries(tx, start, page_size + 1); });
    // The token holds the first seq of the next page.
    response->set_next_page_token(TakePage(
        entries, page_size, kEntriesKind, [](const auto& e) { return std::to_string(e.seq + 1); }));
    for (const auto& entry : entries) {
      auto* out = response->add_entries();
      out->set_seq(entry.seq);
      ToProto(entry.event, out->mutable_event());
      out->set_entry_hash(entry.entry_hash);
    }
  });
}

grpc::Status AuditService::ListResourceEvents(grpc::ServerContext* context,
                                              const v1::ListResourceEventsRequest* request,
                                              v1::ListResourceEventsResponse* response) {
  return boundary_.Run(context, *request, "", [&](const rpc::Call& call) {
    Validation v;
    const auto& resource = request->resource();
    if (resource.empty() || resource.size() > 300 || resource.front() == '/' ||
        resource.back() == '/' || resource.find_first_of("%_ ") != std::string::npos) {
      v.Add("resource", "must be a resource name such as covenants/c/reports/r");
    }
    std::string since;
    if (request->has_since()) {
      const auto& d = request->since();
      if (!std::chrono::year_month_day(std::chrono::year(d.year()),
                                       std::chrono::month(static_cast<unsigned>(d.month())),
                                       std::chrono::day(static_cast<unsigned>(d.day())))
               .ok()) {
        v.Add("since", "must be a calendar date");
      } else {
        char text[11];
        std::snprintf(text, sizeof text, "%04d-%02d-%02d", d.year(), d.month(), d.day());
        since = text;
      }
    }
    const int page_size = PageSize(request->page_size(), 500, 1000, v);
    const auto after = DecodeNumberPageToken(kResourceEventsKind, request->page_token(), v);
    v.ThrowIfAny();
    std::vector<ChainEntry> entries;
    db::RunTransaction(pool_, call.deadline, {.read_only = true}, [&](db::Work& tx) {
      entries = ReadResourceEvents(tx, resource, since, after, page_size + 1);
    });
    response->set_next_page_token(
        TakePage(entries, page_size, kResourceEventsKind,
                 [](const auto& e) { return std::to_string(e.event.id); }));
    for (const auto& entry : entries) {
      auto* out = response->add_entries();
      out->set_seq(entry.seq);
      ToProto(entry.event, out->mutable_event());
      out->set_entry_hash(entry.entry_hash);
    }
  });
}

grpc::Status AuditService::ListCheckpoints(grpc::ServerContext* context,
                                           const v1::ListCheckpointsRequest* request,
                                           v1::ListCheckpointsResponse* response) {
  return boundary_.Run(context, *request, "", [&](const rpc::Call& call) {
    Validation v;
    const int page_size = PageSize(request->page_size(), 500, 1000, v);
    const std::int64_t after =
        ParseSeqToken(DecodePageToken(kCheckpointsKind, request->page_token(), v), v);
    v.ThrowIfAny();
    std::vector<CheckpointRecord> checkpoints;
    db::RunTransaction(pool_, call.deadline, {.read_only = true}, [&](db::Work& tx) {
      checkpoints = ReadCheckpoints(tx, after, page_size + 1);
    });
    response->set_next_page_token(TakePage(checkpoints, page_size, kCheckpointsKind,
                                           [](const auto& c) { return std::to_string(c.seq); }));
    for (const auto& checkpoint : checkpoints) {
      ToProto(checkpoint, response->add_checkpoints());
    }
  });
}

grpc::Status AuditService::ListSigningKeys(grpc::ServerContext* context,
                                           const v1::ListSigningKeysRequest* request,
                                           v1::ListSigningKeysResponse* response) {
  return boundary_.Run(context, *request, "", [&](const rpc::Call& call) {
    std::vector<StoredSigningKey> keys;
    db::RunTransaction(pool_, call.deadline, {.read_only = true},
                       [&](db::Work& tx) { keys = ReadSigningKeys(tx); });
    for (const auto& stored : keys) {
      auto* out = response->add_signing_keys();
      out->set_key_id(stored.key.key_id);
      out->set_certificate_pem(stored.key.certificate_pem);
      *out->mutable_add_time() = TimeUtil::MicrosecondsToTimestamp(stored.added_at_us);
    }
  });
}

}  // namespace regie::audit
