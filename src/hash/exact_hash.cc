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

using MdContext = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;

Result<std::string> FinishDigest(EVP_MD_CTX* ctx) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_DigestFinal_ex(ctx, out, &size) != 1) return Internal("OpenSSL digest failed");
  return ToHex(out, size);
}

}  // namespace

// OpenSSL contexts of both digests; `ok` false once any OpenSSL call failed.
struct ExactHashStream::Contexts {
  MdContext md5{EVP_MD_CTX_new(), EVP_MD_CTX_free};
  MdContext sha256{EVP_MD_CTX_new(), EVP_MD_CTX_free};
  bool ok = md5 && sha256 && EVP_DigestInit_ex(md5.get(), EVP_md5(), nullptr) == 1 &&
            EVP_DigestInit_ex(sha256.get(), EVP_sha256(), nullptr) == 1;
};

ExactHashStream::ExactHashStream() : ctx_(std::make_unique<Contexts>()) {}
ExactHashStream::~ExactHashStream() = default;

Status ExactHashStream::Update(std::span<const uint8_t> bytes) {
  ctx_->ok = ctx_->ok && EVP_DigestUpdate(ctx_->md5.get(), bytes.data(), bytes.size()) == 1 &&
             EVP_DigestUpdate(ctx_->sha256.get(), bytes.data(), bytes.size()) == 1;
  return ctx_->ok ? Status::Ok() : Internal("OpenSSL digest failed");
}

Result<ExactHashes> ExactHashStream::Finish() {
  if (!ctx_->ok) return Internal("OpenSSL digest failed");
  ExactHashes h;
  VIGIL_ASSIGN_OR_RETURN(h.md5, FinishDigest(ctx_->md5.get()));
  VIGIL_ASSIGN_OR_RETURN(h.sha256, FinishDigest(ctx_->sha256.get()));
  return h;
}

Result<ExactHashes> ComputeExactHashes(std::span<const uint8_t> bytes) {
  ExactHashes h;
  VIGIL_ASSIGN_OR_RETURN(h.md5, Digest(EVP_md5(), bytes));
  VIGIL_ASSIGN_OR_RETURN(h.sha256, Digest(EVP_sha256(), bytes));
  return h;
}

}  // namespace vigil
