#include "match/scanner.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

namespace vigil {
namespace {

// Results handed from workers to the calling thread.
class ResultQueue {
 public:
  void Push(ScanItem item) {
    {
      std::lock_guard lock(mu_);
      items_.push_back(std::move(item));
    }
    cv_.notify_one();
  }
  ScanItem Pop() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return !items_.empty(); });
    ScanItem item = std::move(items_.front());
    items_.pop_front();
    return item;
  }

 private:
  std::mutex mu_;  // guards items_
  std::condition_variable cv_;
  std::deque<ScanItem> items_;
};

int ChooseJobs(int requested, size_t files) {
  int jobs = requested > 0 ? requested : static_cast<int>(std::thread::hardware_concurrency());
  return std::clamp<int>(jobs, 1, static_cast<int>(std::max<size_t>(files, 1)));
}

}  // namespace

void Scanner::Work(const std::vector<std::string>& paths, ScanItem* item,
                   ContentHasher* hasher) const {
  item->path = paths[item->index];
  Result<ContentHashes> r = hasher->HashFile(item->path);
  if (!r.ok()) {
    item->error = r.status();
    return;
  }
  item->error = r->MediaError();  // a video's decode error, not "not an image"
  if (matcher_ != nullptr) item->hits = matcher_->Match(*r);
  item->hashes = std::move(r).value();
}

ScanSummary Scanner::Run(const std::vector<std::string>& paths,
                         const std::function<void(const ScanItem&)>& on_item) {
  auto start = std::chrono::steady_clock::now();
  std::atomic<size_t> next{0};
  ResultQueue queue;
  std::vector<std::jthread> workers;
  int jobs = ChooseJobs(options_.jobs, paths.size());
  for (int j = 0; j < jobs; ++j) {
    workers.emplace_back([&] {
      ContentHasher hasher(options_.hashing);
      for (size_t i; (i = next.fetch_add(1)) < paths.size();) {
        ScanItem item;
        item.index = i;
        Work(paths, &item, &hasher);
        queue.Push(std::move(item));
      }
    });
  }
  ScanSummary summary;
  std::map<size_t, ScanItem> early;  // finished ahead of their turn
  for (size_t done = 0; done < paths.size(); ++done) {
    while (!early.contains(done)) {
      ScanItem popped = queue.Pop();
      size_t index = popped.index;
      early.emplace(index, std::move(popped));
    }
    auto node = early.extract(done);
    ScanItem& item = node.mapped();
    summary.files++;
    summary.errors += item.error.ok() ? 0 : 1;
    summary.hits += item.hits.size();
    summary.matched_files += item.hits.empty() ? 0 : 1;
    on_item(item);
  }
  workers.clear();  // joins
  summary.elapsed = std::chrono::steady_clock::now() - start;
  return summary;
}

Result<std::vector<std::string>> ExpandPaths(const std::vector<std::string>& inputs) {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  for (const std::string& input : inputs) {
    std::error_code ec;
    fs::file_status st = fs::status(input, ec);
    if (ec || !fs::exists(st)) return NotFound(input + ": no such file or folder");
    if (!fs::is_directory(st)) {
      files.push_back(input);
      continue;
    }
    std::vector<std::string> found;
    for (auto it = fs::recursive_directory_iterator(input, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (it->is_regular_file(ec)) found.push_back(it->path().string());
    }
    if (ec) return IoError(input + ": cannot list folder: " + ec.message());
    std::sort(found.begin(), found.end());
    files.insert(files.end(), found.begin(), found.end());
  }
  return files;
}

}  // namespace vigil
