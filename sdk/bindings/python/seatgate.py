"""seatgate for Python 3: a ctypes binding of the C API (libseatgate.so).

A worked example of wrapping seatgate.h from another language (docs/sdk.md,
"Wrapping the C API"): handles become objects with close(), errors become
SeatgateError, async callbacks become concurrent.futures.Future objects.

    import seatgate
    with seatgate.Client("http://127.0.0.1:8080", token) as c:
        event = c.get_event("summer")
        held = c.reserve("summer", "floor", 2)
        c.release(held["id"])

The library is found through $SEATGATE_LIBRARY, else the loader's search path.
"""

import concurrent.futures
import ctypes
import ctypes.util
import json
import os
import threading

__all__ = ["Client", "CancelToken", "SeatgateError", "library_version"]


def _load():
    path = os.environ.get("SEATGATE_LIBRARY") or ctypes.util.find_library("seatgate")
    if not path:
        raise OSError("libseatgate not found: set SEATGATE_LIBRARY to its path")
    return ctypes.CDLL(path)


_lib = _load()
_p = ctypes.c_void_p
_status = ctypes.c_int


def _fn(name, restype, *argtypes):
    f = getattr(_lib, name)
    f.restype = restype
    f.argtypes = list(argtypes)
    return f


_version = _fn("seatgate_version", ctypes.c_char_p)
_options_new = _fn("seatgate_options_new", _p)
_options_free = _fn("seatgate_options_free", None, _p)
_set_base_url = _fn("seatgate_options_set_base_url", _status, _p, ctypes.c_char_p)
_set_token = _fn("seatgate_options_set_token", _status, _p, ctypes.c_char_p)
_LogCb = ctypes.CFUNCTYPE(None, _p, ctypes.c_int, ctypes.c_char_p)
_set_log = _fn("seatgate_options_set_log", _status, _p, _LogCb, _p)
LOG_DEBUG, LOG_INFO = 0, 1  # seatgate_log_level_t: each attempt, each retry
_client_new = _fn("seatgate_client_new", _status, _p, ctypes.POINTER(_p), ctypes.POINTER(_p))
_client_free = _fn("seatgate_client_free", None, _p)
_err_code = _fn("seatgate_error_code", ctypes.c_char_p, _p)
_err_message = _fn("seatgate_error_message", ctypes.c_char_p, _p)
_err_http = _fn("seatgate_error_http_status", ctypes.c_int, _p)
_err_retryable = _fn("seatgate_error_retryable", ctypes.c_int, _p)
_err_attempts = _fn("seatgate_error_attempts", ctypes.c_int, _p)
_err_request_id = _fn("seatgate_error_request_id", ctypes.c_char_p, _p)
_err_retry_after = _fn("seatgate_error_retry_after_ms", ctypes.c_int64, _p)
_err_pass_expires = _fn("seatgate_error_pass_expires_at", ctypes.c_char_p, _p)
_err_free = _fn("seatgate_error_free", None, _p)
_event_json = _fn("seatgate_event_to_json", _p, _p)
_event_free = _fn("seatgate_event_free", None, _p)
_res_json = _fn("seatgate_reservation_to_json", _p, _p)
_res_free = _fn("seatgate_reservation_free", None, _p)
_string_free = _fn("seatgate_string_free", None, _p)
_token_new = _fn("seatgate_cancel_token_new", _p)
_token_cancel = _fn("seatgate_cancel_token_cancel", None, _p)
_token_free = _fn("seatgate_cancel_token_free", None, _p)
_get_event = _fn("seatgate_get_event", _status, _p, ctypes.c_char_p, _p, ctypes.POINTER(_p),
                 ctypes.POINTER(_p))
_release = _fn("seatgate_release", _status, _p, ctypes.c_char_p, _p, ctypes.POINTER(_p),
               ctypes.POINTER(_p))


class _ReserveParams(ctypes.Structure):  # seatgate_reserve_params_t
    _fields_ = [("event_id", ctypes.c_char_p), ("zone_id", ctypes.c_char_p),
                ("quantity", ctypes.c_int64), ("idempotency_key", ctypes.c_char_p),
                ("queue_pass", ctypes.c_char_p)]


class _ReserveOptions(ctypes.Structure):  # seatgate_reserve_options_t
    _fields_ = [("struct_size", ctypes.c_size_t), ("sold_out_wait_ms", ctypes.c_int64)]


_reserve = _fn("seatgate_reserve_ex", _status, _p, ctypes.POINTER(_ReserveParams),
               ctypes.POINTER(_ReserveOptions), _p, ctypes.POINTER(_p), ctypes.POINTER(_p))
_EventCb = ctypes.CFUNCTYPE(None, _p, _status, _p, _p)
_ReservationCb = ctypes.CFUNCTYPE(None, _p, _status, _p, _p)
_get_event_async = _fn("seatgate_get_event_async", _status, _p, ctypes.c_char_p, _p, _EventCb, _p)
_reserve_async = _fn("seatgate_reserve_ex_async", _status, _p, ctypes.POINTER(_ReserveParams),
                     ctypes.POINTER(_ReserveOptions), _p, _ReservationCb, _p)


def _reserve_options(sold_out_wait_ms):
    """None: the retry policy decides; 0: fail at the first sold_out; n > 0: wait
    at most n ms in all for released seats (as reserve_request::sold_out_wait_ms)."""
    if sold_out_wait_ms is None:
        c_value = 0
    elif sold_out_wait_ms < 0:
        raise ValueError("sold_out_wait_ms must be None or >= 0")
    else:
        c_value = sold_out_wait_ms if sold_out_wait_ms > 0 else -1  # the C API's encoding
    return _ReserveOptions(ctypes.sizeof(_ReserveOptions), c_value)


def library_version():
    return _version().decode()


class SeatgateError(Exception):
    """A failed call: code ("sold_out", "validation_quantity", "cancelled", ...),
    HTTP status (0 if none), retryable, attempts, request id ("" if none),
    retry_after_ms (the last response's Retry-After, -1 if none), pass_expires_at
    (queue_pass_invalid: when the refused pass expired, "" if unknown)."""

    def __init__(self, status, code, message, http_status=0, retryable=False, attempts=0,
                 request_id="", retry_after_ms=-1, pass_expires_at=""):
        super().__init__(f"{code}: {message}")
        self.status, self.code, self.message = status, code, message
        self.http_status, self.retryable, self.attempts = http_status, retryable, attempts
        self.request_id, self.retry_after_ms = request_id, retry_after_ms
        self.pass_expires_at = pass_expires_at

    @classmethod
    def _take(cls, status, err):
        """Builds the exception from a seatgate_error_t* and frees it."""
        if not err:
            return cls(status, "internal", "no error details")
        try:
            return cls(status, _err_code(err).decode(), _err_message(err).decode(),
                       _err_http(err), bool(_err_retryable(err)), _err_attempts(err),
                       _err_request_id(err).decode(), _err_retry_after(err),
                       _err_pass_expires(err).decode())
        finally:
            _err_free(err)


def _json_of(handle, to_json, free):
    try:
        text = to_json(handle)
        try:
            return json.loads(ctypes.string_at(text).decode())
        finally:
            _string_free(text)
    finally:
        free(handle)


class CancelToken:
    """Cancels the calls it is passed to, from any thread."""

    def __init__(self):
        self._h = _token_new()

    def cancel(self):
        _token_cancel(self._h)

    def close(self):
        h, self._h = self._h, None
        _token_free(h)


def _c(s):
    return None if s is None else s.encode()


class Client:
    """A seatgate client over libseatgate's bundled transport. Sync calls
    return dicts (the server's JSON) or raise SeatgateError; *_async calls
    return a Future completed on the library's worker thread."""

    def __init__(self, base_url, token=None, log=None):
        """log(level, line): LOG_DEBUG per attempt, LOG_INFO per retry, on
        the thread making the call."""
        opts = _options_new()
        # Kept while the client lives: the library calls it until then.
        self._log = _LogCb(lambda _ud, level, line: log(level, line.decode())) if log else None
        try:
            if _set_base_url(opts, base_url.encode()) != 0:
                raise ValueError("bad base URL")
            if token:
                _set_token(opts, token.encode())
            if self._log:
                _set_log(opts, self._log, None)
            out, err = _p(), _p()
            st = _client_new(opts, ctypes.byref(out), ctypes.byref(err))
            if st != 0:
                raise SeatgateError._take(st, err)
            self._h = out
        finally:
            _options_free(opts)
        # The ctypes callbacks of async calls: kept while the client object
        # lives (a thunk must not be freed while the library may call it).
        self._pending = {}
        self._lock = threading.Lock()

    def close(self):
        """Frees the client: calls still running end with "cancelled". Safe
        from a callback of this client (the library defers the free)."""
        h, self._h = self._h, None
        if h:
            _client_free(h)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _sync(self, call, to_json, free):
        out, err = _p(), _p()
        st = call(ctypes.byref(out), ctypes.byref(err))
        if st != 0:
            raise SeatgateError._take(st, err)
        return _json_of(out, to_json, free)

    def get_event(self, event_id, cancel=None):
        tok = cancel._h if cancel else None
        return self._sync(lambda o, e: _get_event(self._h, event_id.encode(), tok, o, e),
                          _event_json, _event_free)

    def reserve(self, event_id, zone_id, quantity, idempotency_key=None, cancel=None,
                sold_out_wait_ms=None):
        """sold_out_wait_ms: see _reserve_options."""
        p = _ReserveParams(event_id.encode(), zone_id.encode(), quantity, _c(idempotency_key), None)
        ro = _reserve_options(sold_out_wait_ms)
        tok = cancel._h if cancel else None
        return self._sync(
            lambda o, e: _reserve(self._h, ctypes.byref(p), ctypes.byref(ro), tok, o, e),
            _res_json, _res_free)

    def release(self, reservation_id, cancel=None):
        tok = cancel._h if cancel else None
        return self._sync(lambda o, e: _release(self._h, reservation_id.encode(), tok, o, e),
                          _res_json, _res_free)

    def _async(self, cb_type, submit, to_json, free, on_done):
        fut = concurrent.futures.Future()
        key = object()

        def done(_ud, st, result, err):
            if st == 0:
                fut.set_result(_json_of(result, to_json, free))
            else:
                fut.set_exception(SeatgateError._take(st, err))
            if on_done:
                on_done(self)

        cb = cb_type(done)
        with self._lock:
            self._pending[key] = cb
        st = submit(cb)
        if st != 0:
            with self._lock:
                self._pending.pop(key, None)
            raise SeatgateError(st, "invalid_argument", "the call was not queued")
        return fut

    def get_event_async(self, event_id, cancel=None, on_done=None):
        """on_done(client) runs on the worker after the future completes."""
        tok = cancel._h if cancel else None
        return self._async(_EventCb,
                           lambda cb: _get_event_async(self._h, event_id.encode(), tok, cb, None),
                           _event_json, _event_free, on_done)

    def reserve_async(self, event_id, zone_id, quantity, idempotency_key=None, cancel=None,
                      on_done=None, sold_out_wait_ms=None):
        p = _ReserveParams(event_id.encode(), zone_id.encode(), quantity, _c(idempotency_key), None)
        ro = _reserve_options(sold_out_wait_ms)
        tok = cancel._h if cancel else None
        return self._async(
            _ReservationCb,
            lambda cb: _reserve_async(self._h, ctypes.byref(p), ctypes.byref(ro), tok, cb, None),
            _res_json, _res_free, on_done)
