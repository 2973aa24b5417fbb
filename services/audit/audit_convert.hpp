#pragma once

// Conversions between stored audit records and their protobuf form. The server and the verifier
// in `regie audit verify` both use them, so both sides hash identical bytes.

#include "audit/chain.hpp"
#include "regie/audit/v1/audit.pb.h"

namespace regie::audit {

void ToProto(const EventRecord& event, v1::Event* out);
EventRecord FromProto(const v1::Event& event);
void ToProto(const CheckpointRecord& checkpoint, v1::Checkpoint* out);
CheckpointRecord FromProto(const v1::Checkpoint& checkpoint);

}  // namespace regie::audit
