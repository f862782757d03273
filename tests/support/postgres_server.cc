#include "postgres_server.h"

#include "loopback.h"

#include <cerrno>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace seatgate::test {
namespace {

namespace fs = std::filesystem;

// Gives the tree under `path` to the postgres user (only when root).
void chown_tree(const fs::path& path, uid_t uid, gid_t gid) {
  if (::chown(path.c_str(), uid, gid) != 0)
    throw std::runtime_error("chown failed: " + path.string());
  if (!fs::is_directory(path)) return;
  for (const auto& e : fs::recursive_directory_iterator(path))
    if (::lchown(e.path().c_str(), uid, gid) != 0)
      throw std::runtime_error("chown failed: " + e.path().string());
}

}  // namespace

postgres_server::postgres_server(options opts) : opts_(std::move(opts)) {
  char tmpl[] = "/tmp/seatgate-pg-XXXXXX";
  if (!mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
  dir_ = tmpl;
  data_dir_ = dir_ + "/data";
  socket_dir_ = dir_ + "/sock";
  log_path_ = dir_ + "/postgres.log";
  fs::create_directory(socket_dir_);
  { std::ofstream touch(log_path_); }
  try {
    if (::geteuid() == 0) {
      const passwd* pw = ::getpwnam("postgres");
      if (!pw) throw std::runtime_error("running as root, but there is no 'postgres' user");
      chown_tree(dir_, pw->pw_uid, pw->pw_gid);
    }
    if (run_tool({opts_.bin_dir + "/initdb", "-D", data_dir_, "-U", user_, "--auth=trust", "-E",
                  "UTF8", "--locale=C", "--no-sync"}) != 0)
      throw std::runtime_error("initdb failed:\n" + log_text());
    start();
  } catch (...) {
    std::error_code ec;
    fs::remove_all(dir_, ec);
    throw;
  }
}

postgres_server::~postgres_server() {
  try {
    stop();
  } catch (...) {
  }
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

void postgres_server::start() {
  // Up to three ports: another process may take the free one before we do.
  for (int attempt = 0; attempt < 3 && !running_; ++attempt) {
    port_ = free_port();
    std::string o = "-c listen_addresses=127.0.0.1 -p " + std::to_string(port_) + " -k " +
                    socket_dir_ + " -c max_connections=" + std::to_string(opts_.max_connections) +
                    " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
    for (const auto& s : opts_.settings) o += " -c " + s;
    running_ = run_tool({opts_.bin_dir + "/pg_ctl", "start", "-w", "-t", "60", "-D", data_dir_,
                         "-l", log_path_, "-o", o}) == 0;
  }
  if (!running_) throw std::runtime_error("PostgreSQL did not start:\n" + log_text());
}

void postgres_server::stop() {
  if (!running_) return;
  running_ = false;
  if (run_tool({opts_.bin_dir + "/pg_ctl", "stop", "-w", "-t", "30", "-m", "fast", "-D",
                data_dir_}) == 0)
    return;
  const pid_t pid = postmaster_pid();  // pg_ctl gave up: do not leave it behind
  if (pid > 0) {
    ::kill(pid, SIGKILL);
  }
}

std::string postgres_server::conninfo(const std::string& dbname, bool tcp) const {
  return "host=" + (tcp ? std::string("127.0.0.1") : socket_dir_) +
         " port=" + std::to_string(port_) + " user=" + user_ + " dbname=" + dbname;
}

pid_t postgres_server::postmaster_pid() const {
  std::ifstream in(data_dir_ + "/postmaster.pid");
  long pid = -1;
  if (!(in >> pid)) return -1;
  return static_cast<pid_t>(pid);
}

std::string postgres_server::log_text() const {
  std::ifstream in(log_path_);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

int postgres_server::run_tool(const std::vector<std::string>& args) const {
  std::vector<std::string> full;
  if (::geteuid() == 0) full = {"runuser", "-u", "postgres", "--"};
  full.insert(full.end(), args.begin(), args.end());
  const int fd = ::open(log_path_.c_str(), O_WRONLY | O_APPEND);
  if (fd < 0) throw std::runtime_error("cannot open " + log_path_);
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fd);
    throw std::runtime_error("fork failed");
  }
  if (pid == 0) {
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    // The caller's working directory may be closed to the postgres user.
    if (::chdir(dir_.c_str()) != 0) _exit(126);
    std::vector<char*> argv;
    for (auto& a : full) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execvp(argv[0], argv.data());
    _exit(127);
  }
  ::close(fd);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace seatgate::test
