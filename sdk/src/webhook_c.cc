// The C API's webhook verifier (seatgate.h), over the C++ one.
#include <seatgate.h>
#include <seatgate/webhook.h>

extern "C" SEATGATE_API int seatgate_webhook_verify(const char* secret, const char* header,
                                                    const char* body, size_t body_len,
                                                    int64_t now_s, int64_t tolerance_s) {
  if (!secret || !header || (!body && body_len > 0)) return SEATGATE_WEBHOOK_INVALID_ARGUMENT;
  switch (seatgate::verify_webhook(secret, header, std::string_view(body ? body : "", body_len),
                                   now_s, tolerance_s)) {
    case seatgate::webhook_verdict::valid:
      return SEATGATE_WEBHOOK_VALID;
    case seatgate::webhook_verdict::malformed_header:
      return SEATGATE_WEBHOOK_MALFORMED_HEADER;
    case seatgate::webhook_verdict::bad_signature:
      return SEATGATE_WEBHOOK_BAD_SIGNATURE;
    case seatgate::webhook_verdict::too_old:
      return SEATGATE_WEBHOOK_TOO_OLD;
  }
  return SEATGATE_WEBHOOK_INVALID_ARGUMENT;
}
