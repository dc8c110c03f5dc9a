"""The local Lambda's runtime-interface client for python3.x functions.

It follows AWS's Python runtime (awslambdaric) where a function can tell:
the handler is "module.function" (a path such as dir/mod.handler allowed),
the context object carries aws_request_id, function_name,
function_version, invoked_function_arn, memory_limit_in_mb,
log_group_name, log_stream_name, identity, client_context and
get_remaining_time_in_millis(); errors are posted as
{"errorMessage", "errorType", "requestId", "stackTrace"} and logged as
"[ERROR] Type: message" with the traceback; init failures are
Runtime.MalformedHandlerName, Runtime.ImportModuleError,
Runtime.UserCodeSyntaxError and Runtime.HandlerNotFound, and a result that
JSON cannot hold is Runtime.MarshalError. Only the standard library is
used: the host's python3 may have nothing else.

See https://docs.aws.amazon.com/lambda/latest/dg/python-handler.html,
https://docs.aws.amazon.com/lambda/latest/dg/python-context.html and
https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html
"""

import decimal
import http.client
import importlib
import json
import logging
import os
import sys
import time
import traceback

API = os.environ["AWS_LAMBDA_RUNTIME_API"]
PREFIX = "/2018-06-01/runtime/"
TASK_ROOT = os.environ.get("LAMBDA_TASK_ROOT", os.getcwd())
REQUEST_ID = ""


class Fault(Exception):
    def __init__(self, error_type, message, trace=None):
        Exception.__init__(self, message)
        self.error_type = error_type
        self.message = message
        self.trace = trace or []


_conn = None


def request(method, path, body=None, headers=None):
    # One kept-alive connection to the Runtime API, opened again if the
    # server closed it.
    global _conn
    for attempt in (1, 2):
        if _conn is None:
            _conn = http.client.HTTPConnection(API, timeout=None)
        try:
            _conn.request(method, PREFIX + path, body=body, headers=headers or {})
            resp = _conn.getresponse()
            return resp.status, resp.headers, resp.read()
        except (http.client.HTTPException, ConnectionError):
            _conn.close()
            _conn = None
            if attempt == 2:
                raise


def make_error(message, error_type, trace, request_id=None):
    return {
        "errorMessage": message or "",
        "errorType": error_type or "",
        "requestId": request_id or "",
        "stackTrace": trace or [],
    }


def log_error(err):
    # One log event, as AWS's runtime writes it: lines joined by \r.
    lines = ["[ERROR] " + err["errorType"] + (": " + err["errorMessage"] if err["errorMessage"] else "")]
    if err["stackTrace"]:
        lines.append("Traceback (most recent call last):")
        for element in err["stackTrace"]:
            lines.extend(element.splitlines())
    sys.stdout.write("\r".join(lines) + "\n")
    sys.stdout.flush()


def post_error(path, err):
    body = json.dumps(err).encode()
    request("POST", path, body, {"Content-Type": "application/json",
                                 "Lambda-Runtime-Function-Error-Type": err["errorType"]})


def user_frames(tb):
    frames = traceback.extract_tb(tb)
    for i, f in enumerate(frames):
        if not f.filename.endswith("/bootstrap.py"):
            return frames[i:]
    return frames


def load_handler(handler):
    try:
        modname, fname = handler.rsplit(".", 1)
    except ValueError as e:
        raise Fault("Runtime.MalformedHandlerName", "Bad handler '{}': {}".format(handler, e))
    if modname.split(".")[0] in sys.builtin_module_names:
        raise Fault("Runtime.BuiltInModuleConflict", "Cannot use built-in module {} as a handler module".format(modname))
    try:
        module = importlib.import_module(modname.replace("/", "."))
    except ImportError as e:
        raise Fault("Runtime.ImportModuleError", "Unable to import module '{}': {}".format(modname, e))
    except SyntaxError as e:
        trace = ['  File "%s" Line %s\n    %s' % (e.filename, e.lineno, e.text)]
        raise Fault("Runtime.UserCodeSyntaxError", "Syntax error in module '{}': {}".format(modname, e), trace)
    try:
        return getattr(module, fname)
    except AttributeError:
        raise Fault("Runtime.HandlerNotFound", "Handler '{}' missing on module '{}'".format(fname, modname))


class CognitoIdentity(object):
    __slots__ = ["cognito_identity_id", "cognito_identity_pool_id"]


class Client(object):
    __slots__ = ["installation_id", "app_title", "app_version_name", "app_version_code", "app_package_name"]


class ClientContext(object):
    __slots__ = ["custom", "env", "client"]


class LambdaContext(object):
    def __init__(self, request_id, deadline_ms, invoked_arn, client_context):
        self.aws_request_id = request_id
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.invoked_function_arn = invoked_arn
        self.tenant_id = None
        self.identity = CognitoIdentity()
        self.identity.cognito_identity_id = None
        self.identity.cognito_identity_pool_id = None
        self.client_context = None
        if client_context:
            cc = ClientContext()
            cc.custom = client_context.get("custom")
            cc.env = client_context.get("env")
            cc.client = None
            client = client_context.get("client")
            if client:
                cc.client = Client()
                for k in Client.__slots__:
                    setattr(cc.client, k, client.get(k))
            self.client_context = cc
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self):
        return max(int(self._deadline_ms - time.time() * 1000), 0)

    def log(self, msg):
        sys.stdout.write(str(msg))
        sys.stdout.flush()

    def __repr__(self):
        return ("LambdaContext([aws_request_id={},log_group_name={},log_stream_name={},function_name={},"
                "memory_limit_in_mb={},function_version={},invoked_function_arn={},client_context={},identity={}])").format(
            self.aws_request_id, self.log_group_name, self.log_stream_name, self.function_name,
            self.memory_limit_in_mb, self.function_version, self.invoked_function_arn, self.client_context, self.identity)


def to_json(obj):
    def default(o):
        if isinstance(o, decimal.Decimal):
            return float(o) if o % 1 else int(o)
        raise TypeError("Object of type {} is not JSON serializable".format(type(o).__name__))
    return json.dumps(obj, default=default)


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.aws_request_id = REQUEST_ID
        return True


def setup_logging():
    # The root logger writes to the function's log as AWS's does; its level
    # stays Python's default (WARNING) unless the function changes it.
    logging.Formatter.converter = time.gmtime
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter(
        "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s", "%Y-%m-%dT%H:%M:%S"))
    handler.addFilter(RequestIdFilter())
    logging.getLogger().addHandler(handler)
    level = os.environ.get("AWS_LAMBDA_LOG_LEVEL", "").upper()
    if level in logging._nameToLevel:
        logging.getLogger().setLevel(level)


def main():
    global REQUEST_ID
    if sys.path and sys.path[0] != TASK_ROOT:
        sys.path[0] = TASK_ROOT
    os.chdir(TASK_ROOT)
    setup_logging()
    try:
        handler = load_handler(os.environ.get("_HANDLER", ""))
    except Fault as f:
        err = make_error(f.message, f.error_type, f.trace)
        log_error(err)
        post_error("init/error", err)
        sys.exit(1)
    except Exception:
        etype, value, tb = sys.exc_info()
        err = make_error(str(value), etype.__name__, traceback.format_list(user_frames(tb)))
        log_error(err)
        post_error("init/error", err)
        sys.exit(1)

    while True:
        status, headers, body = request("GET", "invocation/next")
        if status != 200:
            sys.exit(0)
        request_id = headers.get("Lambda-Runtime-Aws-Request-Id", "")
        REQUEST_ID = request_id
        trace_id = headers.get("Lambda-Runtime-Trace-Id")
        if trace_id:
            os.environ["_X_AMZN_TRACE_ID"] = trace_id
        else:
            os.environ.pop("_X_AMZN_TRACE_ID", None)
        err = None
        try:
            cc = headers.get("Lambda-Runtime-Client-Context")
            context = LambdaContext(request_id, int(headers.get("Lambda-Runtime-Deadline-Ms", "0")),
                                    headers.get("Lambda-Runtime-Invoked-Function-Arn", ""),
                                    json.loads(cc) if cc else None)
            event = json.loads(body) if body else None
            result = handler(event, context)
            try:
                payload = to_json(result).encode()
            except (TypeError, ValueError) as e:
                raise Fault("Runtime.MarshalError", "Unable to marshal response: {}".format(e))
        except Fault as f:
            err = make_error(f.message, f.error_type, f.trace, request_id)
        except Exception:
            etype, value, tb = sys.exc_info()
            err = make_error(str(value), etype.__name__, traceback.format_list(user_frames(tb)), request_id)
        if err is not None:
            log_error(err)
            post_error("invocation/" + request_id + "/error", err)
        else:
            request("POST", "invocation/" + request_id + "/response", payload, {"Content-Type": "application/json"})


if __name__ == "__main__":
    main()
