#include "audit_convert.hpp"

#include <google/protobuf/util/time_util.h>

namespace regie::audit {

using google::protobuf::util::TimeUtil;

void ToProto(const EventRecord& event, v1::Event* out) {
  out->set_id(event.id);
  out->set_transaction_id(event.txid);
  *out->mutable_occur_time() = TimeUtil::MicrosecondsToTimestamp(event.occurred_at_us);
  out->set_actor_subject(event.actor_subject);
  out->set_actor_role(event.actor_role);
  out->set_actor_organisation(event.actor_organisation);
  out->set_rpc(event.rpc);
  out->set_resource(event.resource);
  out->set_request_id(event.request_id);
  out->set_request_digest(event.request_digest);
  out->set_change_json(event.change_json);
}

EventRecord FromProto(const v1::Event& event) {
  EventRecord out;
  out.id = event.id();
  out.txid = event.transaction_id();
  out.occurred_at_us = TimeUtil::TimestampToMicroseconds(event.occur_time());
  out.actor_subject = event.actor_subject();
  out.actor_role = event.actor_role();
  out.actor_organisation = event.actor_organisation();
  out.rpc = event.rpc();
  out.resource = event.resource();
  out.request_id = event.request_id();
  out.request_digest = event.request_digest();
  out.change_json = event.change_json();
  return out;
}

void ToProto(const CheckpointRecord& checkpoint, v1::Checkpoint* out) {
  out->set_seq(checkpoint.seq);
  out->set_head_hash(checkpoint.head_hash);
  *out->mutable_sign_time() = TimeUtil::MicrosecondsToTimestamp(checkpoint.signed_at_us);
  out->set_key_id(checkpoint.key_id);
  out->set_signature(checkpoint.signature);
}

CheckpointRecord FromProto(const v1::Checkpoint& checkpoint) {
  return {checkpoint.seq(), checkpoint.head_hash(),
          TimeUtil::TimestampToMicroseconds(checkpoint.sign_time()), checkpoint.key_id(),
          checkpoint.signature()};
}

}  // namespace regie::audit
