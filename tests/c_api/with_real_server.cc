// Runs a command against a real seatgate-server and redis-server:
//   seatgate_with_real_server COMMAND ARGS...
// The command gets SEATGATE_TEST_URL, SEATGATE_TEST_TOKEN_A and
// SEATGATE_TEST_TOKEN_B (two users' bearer tokens) and an event
// "py-event" (zone "floor", 10 seats) and "py-full" (1 seat) already created; its exit status is
// returned.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "real_server.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s COMMAND ARGS...\n", argv[0]);
    return 2;
  }
  if (real_server_start() != 0) return 1;
  if (real_server_put_event("py-event", 10, nullptr) / 100 != 2) return 1;
  if (real_server_put_event("py-full", 1, nullptr) / 100 != 2) return 1;
  char a[1024], b[1024];
  real_server_user_token("py-a", a, sizeof a);
  real_server_user_token("py-b", b, sizeof b);
  setenv("SEATGATE_TEST_URL", real_server_base_url(), 1);
  setenv("SEATGATE_TEST_TOKEN_A", a, 1);
  setenv("SEATGATE_TEST_TOKEN_B", b, 1);
  pid_t pid = fork();
  if (pid == 0) {
    execvp(argv[1], argv + 1);
    std::perror("exec");
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  real_server_stop();
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
