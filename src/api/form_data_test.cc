#include "api/form_data.h"

#include <gtest/gtest.h>

namespace vigil::api {
namespace {

const std::string kType = "multipart/form-data; boundary=XyZ";

std::string Part(const std::string& disposition, const std::string& content,
                 const std::string& extra_headers = "") {
  return "--XyZ\r\nContent-Disposition: form-data; " + disposition + "\r\n" + extra_headers +
         "\r\n" + content + "\r\n";
}

TEST(FormDataTest, FieldsAndAFileAreViewsIntoTheBody) {
  // File content holding CRLFs, a partial delimiter and the boundary without its dashes.
  const std::string jpeg = std::string("\xff\xd8\r\n--XY\r\n XyZ\r\n-", 16) + std::string(3, '\0');
  const std::string body = "a preamble\r\n" + Part("name=\"content_id\"", "post-1") +
                           Part("name=\"media\"; filename=\"a b;c.jpg\"", jpeg,
                                "Content-Type: image/jpeg\r\n") +
                           "--XyZ--\r\nan epilogue";
  auto parts = ParseFormData(kType, body);
  ASSERT_TRUE(parts.ok()) << parts.status().message();
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].name, "content_id");
  EXPECT_EQ((*parts)[0].filename, "");
  EXPECT_EQ((*parts)[0].content, "post-1");
  EXPECT_EQ((*parts)[1].name, "media");
  EXPECT_EQ((*parts)[1].filename, "a b;c.jpg");
  EXPECT_EQ((*parts)[1].content_type, "image/jpeg");
  EXPECT_EQ((*parts)[1].content, jpeg);
  EXPECT_GE((*parts)[1].content.data(), body.data());  // in place, not a copy
  EXPECT_LE((*parts)[1].content.data() + jpeg.size(), body.data() + body.size());
}

TEST(FormDataTest, BoundaryParametersAndHeaderNamesInAnyCaseAndQuoting) {
  const std::string body = "--a:b\r\ncontent-disposition: form-data; NAME=f; filename=\"\"\r\n\r\n"
                           "x\r\n--a:b  \r\nContent-Disposition: form-data; name=\"\"; name=g\r\n\r\n"
                           "\r\n--a:b--";
  auto parts = ParseFormData("Multipart/Form-Data; charset=utf-8; BOUNDARY=\"a:b\"", body);
  ASSERT_TRUE(parts.ok()) << parts.status().message();
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].name, "f");
  EXPECT_EQ((*parts)[0].content, "x");
  EXPECT_EQ((*parts)[1].name, "g");  // the later parameter wins
  EXPECT_EQ((*parts)[1].content, "");
  EXPECT_TRUE(IsFormData("multipart/form-data; boundary=x"));
  EXPECT_TRUE(IsFormData(std::string(kHiddenFormData) + "; boundary=x"));
  EXPECT_FALSE(IsFormData("image/jpeg"));
}

TEST(FormDataTest, AnEmptyFormHasNoParts) {
  auto parts = ParseFormData(kType, "--XyZ--\r\n");
  ASSERT_TRUE(parts.ok());
  EXPECT_TRUE(parts->empty());
}

TEST(FormDataTest, BadBodiesAreRefusedWithWhatIsWrong) {
  const std::string good = Part("name=\"a\"", "1");
  struct Case {
    std::string type, body, error;
  };
  const std::vector<Case> cases = {
      {"multipart/form-data", good + "--XyZ--", "no valid boundary"},
      {"multipart/form-data; boundary=", good + "--XyZ--", "no valid boundary"},
      {"multipart/form-data; boundary=" + std::string(71, 'b'), good, "no valid boundary"},
      {kType, "no delimiter at all", "no boundary line"},
      {kType, good, "no closing boundary"},
      {kType, good + "--XyZ", "malformed"},
      {kType, good + "--XyZtrailing\r\n", "malformed"},
      {kType, "--XyZ\r\nContent-Type: text/plain\r\n\r\nx\r\n--XyZ--", "no Content-Disposition name"},
      {kType, "--XyZ\r\nContent-Disposition: form-data\r\n\r\nx\r\n--XyZ--", "no Content-Disposition name"},
      {kType, "--XyZ\r\nContent-Disposition: attachment; name=a\r\n\r\nx\r\n--XyZ--", "not form-data"},
      {kType, "--XyZ\r\nno colon here\r\n\r\nx\r\n--XyZ--", "has no ':'"},
      {kType, "--XyZ\r\nContent-Disposition: form-data; name=a\r\nx\r\n--XyZ--", "unterminated"},
      {kType, "--XyZ\r\n\r\nx\r\n--XyZ--", "no Content-Disposition name"},
      {kType, "--XyZ\r\nX-Long: " + std::string(kMaxPartHeaderBytes, 'h') + "\r\n\r\nx\r\n--XyZ--",
       "over 8192 bytes"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.body.substr(0, 80));
    auto parts = ParseFormData(c.type, c.body);
    ASSERT_FALSE(parts.ok());
    EXPECT_EQ(parts.status().code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(parts.status().message().find(c.error), std::string::npos) << parts.status().message();
  }
}

TEST(FormDataTest, TooManyPartsAreRefused) {
  std::string body;
  for (size_t i = 0; i <= kMaxFormParts; ++i) body += Part("name=\"f\"", "x");
  body += "--XyZ--";
  auto parts = ParseFormData(kType, body);
  ASSERT_FALSE(parts.ok());
  EXPECT_NE(parts.status().message().find("more than 64 parts"), std::string::npos);
}

}  // namespace
}  // namespace vigil::api
