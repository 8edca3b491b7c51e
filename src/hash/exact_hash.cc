#include "hash/exact_hash.h"

#include <openssl/evp.h>

#include <memory>

namespace vigil {
namespace {

std::string ToHex(const unsigned char* data, unsigned int size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(size * 2, '0');
  for (unsigned int i = 0; i < size; ++i) {
    out[2 * i] = kDigits[data[i] >> 4];
    out[2 * i + 1] = kDigits[data[i] & 15];
  }
  return out;
}

Result<std::string> Digest(const EVP_MD* md, std::span<const uint8_t> bytes) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (!ctx || EVP_DigestInit_ex(ctx.get(), md, nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), bytes.data(), bytes.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), out, &size) != 1) {
    return Internal("OpenSSL digest failed");
  }
  return ToHex(out, size);
}

}  // namespace

Result<ExactHashes> ComputeExactHashes(std::span<const uint8_t> bytes) {
  ExactHashes h;
  VIGIL_ASSIGN_OR_RETURN(h.md5, Digest(EVP_md5(), bytes));
  VIGIL_ASSIGN_OR_RETURN(h.sha256, Digest(EVP_sha256(), bytes));
  return h;
}

}  // namespace vigil
