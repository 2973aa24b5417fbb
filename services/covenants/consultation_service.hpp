#pragma once

// gRPC adapter of regie.covenants.v1.ConsultationService: meetings of the consultation table and
// the amendments they adopt.

#include "consultation_store.hpp"
#include "covenant_store.hpp"
#include "regie/covenants/v1/consultation.grpc.pb.h"
#include "rpc/boundary.hpp"

namespace regie::covenants {

class ConsultationService final : public v1::ConsultationService::Service {
 public:
  ConsultationService(const rpc::RpcBoundary& boundary, CovenantStore& covenants,
                      ConsultationStore& consultation);

  grpc::Status ScheduleMeeting(grpc::ServerContext* context,
                               const v1::ScheduleMeetingRequest* request,
                               v1::Meeting* response) override;
  grpc::Status GetMeeting(grpc::ServerContext* context, const v1::GetMeetingRequest* request,
                          v1::Meeting* response) override;
  grpc::Status ListMeetings(grpc::ServerContext* context, const v1::ListMeetingsRequest* request,
                            v1::ListMeetingsResponse* response) override;
  grpc::Status RecordMinutes(grpc::ServerContext* context, const v1::RecordMinutesRequest* request,
                             v1::Meeting* response) override;
  grpc::Status CancelMeeting(grpc::ServerContext* context, const v1::CancelMeetingRequest* request,
                             v1::Meeting* response) override;
  grpc::Status ProposeAmendment(grpc::ServerContext* context,
                                const v1::ProposeAmendmentRequest* request,
                                v1::Amendment* response) override;
  grpc::Status GetAmendment(grpc::ServerContext* context, const v1::GetAmendmentRequest* request,
                            v1::Amendment* response) override;
  grpc::Status ListAmendments(grpc::ServerContext* context,
                              const v1::ListAmendmentsRequest* request,
                              v1::ListAmendmentsResponse* response) override;
  grpc::Status AdoptAmendment(grpc::ServerContext* context,
                              const v1::AdoptAmendmentRequest* request,
                              v1::Amendment* response) override;
  grpc::Status WithdrawAmendment(grpc::ServerContext* context,
                                 const v1::WithdrawAmendmentRequest* request,
                                 v1::Amendment* response) override;

 private:
  // The covenant of today, NOT_FOUND when hidden, after checking the caller manages it.
  CovenantRecord ManagedCovenant(const rpc::Call& call, const std::string& covenant_id);

  const rpc::RpcBoundary& boundary_;
  CovenantStore& covenants_;
  ConsultationStore& consultation_;
};

}  // namespace regie::covenants
