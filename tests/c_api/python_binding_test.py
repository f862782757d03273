"""The Python ctypes binding (sdk/bindings/python/seatgate.py) against a real
seatgate-server (run by seatgate_with_real_server): sync calls, errors,
async calls, cancellation (before sending and of a call waiting to retry),
the wait for released seats (sold_out_wait_ms), the log callback, and a
client closed from its own callback (also with another call running)."""

import os
import sys
import threading
import uuid

import seatgate

URL = os.environ["SEATGATE_TEST_URL"]
TOKEN_A = os.environ["SEATGATE_TEST_TOKEN_A"]
TOKEN_B = os.environ["SEATGATE_TEST_TOKEN_B"]


def expect_error(code, fn, *args, **kw):
    try:
        fn(*args, **kw)
    except seatgate.SeatgateError as e:
        assert e.code == code, (e.code, code)
        return e
    raise AssertionError(f"expected {code}")


def main():
    assert seatgate.library_version().count(".") == 2
    with seatgate.Client(URL, TOKEN_A) as a:
        event = a.get_event("py-event")
        assert event["zones"][0]["available"] == 10, event
        key = str(uuid.uuid4())
        held = a.reserve("py-event", "floor", 2, idempotency_key=key)
        assert held["status"] == "held" and held["quantity"] == 2, held
        again = a.reserve("py-event", "floor", 2, idempotency_key=key)
        assert again["id"] == held["id"]

        e = expect_error("validation_quantity", a.reserve, "py-event", "floor", 0)
        assert e.attempts == 0
        e = expect_error("event_not_found", a.get_event, "py-missing")
        assert e.http_status == 404 and e.request_id

        fut = a.reserve_async("py-event", "floor", 1)
        assert fut.result(timeout=60)["status"] == "held"
        released = a.release(held["id"])
        assert released["status"] == "released"

        token = seatgate.CancelToken()
        token.cancel()
        fut = a.get_event_async("py-event", cancel=token)
        err = fut.exception(timeout=60)
        assert isinstance(err, seatgate.SeatgateError) and err.code == "cancelled", err
        assert err.attempts == 0
        token.close()

    # sold_out_wait_ms: how long a reserve waits for released seats.
    with seatgate.Client(URL, TOKEN_A) as a, seatgate.Client(URL, TOKEN_B) as b:
        a.reserve("py-full", "floor", 1)
        e = expect_error("sold_out", b.reserve, "py-full", "floor", 1, sold_out_wait_ms=0)
        assert e.attempts == 1 and e.retryable and e.http_status == 409, vars(e)
        assert e.request_id and e.retry_after_ms >= 1000, vars(e)
        # One wait of Retry-After allowed (the jitter of the first retry is
        # below it): two attempts, then the bound stops it.
        bound = e.retry_after_ms
        e = expect_error("sold_out", b.reserve, "py-full", "floor", 1, sold_out_wait_ms=bound)
        assert e.attempts == 2 and "not waiting longer" in e.message, vars(e)
        fut = b.reserve_async("py-full", "floor", 1, sold_out_wait_ms=0)
        err = fut.exception(timeout=60)
        assert isinstance(err, seatgate.SeatgateError) and err.code == "sold_out", err
        assert err.attempts == 1, vars(err)
        try:
            b.reserve("py-full", "floor", 1, sold_out_wait_ms=-5)
            raise AssertionError("a negative bound is refused")
        except ValueError:
            pass

    # Cancelling a running async call: a reserve on the sold-out event was
    # answered sold_out (the log says so) and waits to retry when cancelled.
    lines = []
    answered = threading.Event()

    def log(level, line):
        lines.append((level, line))
        if "-> 409" in line:
            answered.set()

    with seatgate.Client(URL, TOKEN_B, log=log) as b:
        token = seatgate.CancelToken()
        fut = b.reserve_async("py-full", "floor", 1, cancel=token)
        assert answered.wait(timeout=60), lines
        token.cancel()
        err = fut.exception(timeout=60)
        assert isinstance(err, seatgate.SeatgateError) and err.code == "cancelled", err
        assert err.attempts >= 1, vars(err)
        token.close()
    assert lines[0][0] == seatgate.LOG_DEBUG and lines[0][1].startswith("POST "), lines
    assert any(lv == seatgate.LOG_INFO and ln.startswith("retrying (attempt 2) in ")
               for lv, ln in lines), lines

    # Closing the client from a callback while another of its calls runs on
    # another worker: that call ends (cancelled), the client is freed after.
    answered.clear()
    c = seatgate.Client(URL, TOKEN_B, log=log)
    slow = c.reserve_async("py-full", "floor", 1)
    assert answered.wait(timeout=60)
    fut = c.get_event_async("py-event", on_done=lambda client: client.close())
    assert fut.result(timeout=60)["id"] == "py-event"
    err = slow.exception(timeout=60)
    # cancelled by the close; sold_out only if its retries ran out first
    assert isinstance(err, seatgate.SeatgateError) and err.code in ("cancelled", "sold_out"), err

    # Closing the client from its own callback (a finaliser in a completion
    # handler) is safe: the library frees it after the callback returns.
    b = seatgate.Client(URL, TOKEN_B)
    closed = threading.Event()

    def close_here(client):
        client.close()
        closed.set()

    fut = b.get_event_async("py-event", on_done=close_here)
    assert fut.result(timeout=60)["id"] == "py-event"
    assert closed.wait(timeout=60)
    print("python_binding_test: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
