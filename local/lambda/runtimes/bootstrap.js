// The local Lambda's runtime-interface client for nodejs*.x functions.
//
// It follows AWS's Node.js runtime where a function can tell: the handler
// is "file.export" (file may sit in a folder: dir/file.handler), found as
// file.js, file.mjs or file.cjs (CommonJS, or an ES module by extension or
// package.json "type"); a handler may be async (its promise is the result)
// or take (event, context, callback); with callback, and when it neither
// returns a promise nor calls back, the result is sent once the event loop
// is empty unless context.callbackWaitsForEmptyEventLoop is false;
// context.done/succeed/fail end the invocation at once. The context has
// awsRequestId, functionName, functionVersion, invokedFunctionArn,
// memoryLimitInMB, logGroupName, logStreamName, clientContext, identity
// and getRemainingTimeInMillis(). Errors are posted as {"errorType",
// "errorMessage", "trace"}; init failures are Runtime.MalformedHandlerName,
// Runtime.ImportModuleError, Runtime.UserCodeSyntaxError and
// Runtime.HandlerNotFound. console.* lines carry the timestamp, request ID
// and level, as on AWS.
//
// See https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html,
// https://docs.aws.amazon.com/lambda/latest/dg/nodejs-context.html and
// https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html
'use strict';

const fs = require('fs');
const http = require('http');
const path = require('path');
const url = require('url');
const util = require('util');

const [apiHost, apiPort] = process.env.AWS_LAMBDA_RUNTIME_API.split(':');
const PREFIX = '/2018-06-01/runtime/';
const TASK_ROOT = process.env.LAMBDA_TASK_ROOT || process.cwd();
// One kept-alive connection to the Runtime API. The agent unrefs idle
// sockets, so it does not keep the event loop busy, which decides when a
// callback handler's result is sent.
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

let requestId = undefined;
let current = null; // the invocation in flight: { id, finish }

function call(method, p, body, headers) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: apiHost, port: apiPort, path: PREFIX + p, method, headers: headers || {}, agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

// Logging as AWS's runtime does in text format: one event per call.
function patchConsole() {
  const write = (level) => (...args) => {
    const msg = util.format(...args).replace(/\n/g, '\r');
    process.stdout.write(`${new Date().toISOString()}\t${requestId}\t${level}\t${msg}\n`);
  };
  console.log = write('INFO');
  console.info = write('INFO');
  console.warn = write('WARN');
  console.error = write('ERROR');
  console.debug = write('DEBUG');
  console.trace = write('TRACE');
  console.fatal = write('FATAL');
}

class Fault extends Error {
  constructor(type, message, cause) {
    super(message);
    this.name = type;
    if (cause && cause.stack) this.stack = `${type}: ${message}\n` + cause.stack.split('\n').slice(1).join('\n');
  }
}

function toError(err) {
  if (err instanceof Error) {
    return {
      errorType: err.name || 'Error',
      errorMessage: err.message,
      trace: typeof err.stack === 'string' ? err.stack.split('\n') : [],
    };
  }
  if (err === undefined || err === null) {
    return { errorType: 'Error', errorMessage: 'handled', trace: [] };
  }
  return { errorType: typeof err, errorMessage: typeof err === 'string' ? err : util.inspect(err), trace: [] };
}

function postError(p, err) {
  const body = JSON.stringify(err);
  return call('POST', p, body, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
    'Lambda-Runtime-Function-Error-Type': err.errorType,
  });
}

async function loadModule(modulePath) {
  const base = path.resolve(TASK_ROOT, modulePath);
  let file = null;
  for (const ext of ['.js', '.mjs', '.cjs']) {
    if (fs.existsSync(base + ext)) {
      file = base + ext;
      break;
    }
  }
  if (file === null) {
    throw new Fault('Runtime.ImportModuleError', `Error: Cannot find module '${modulePath}'\nRequire stack:\n- ${__filename}`);
  }
  try {
    if (file.endsWith('.mjs')) return await import(url.pathToFileURL(file).href);
    try {
      return require(file);
    } catch (e) {
      if (e && e.code === 'ERR_REQUIRE_ESM') return await import(url.pathToFileURL(file).href);
      throw e;
    }
  } catch (e) {
    if (e instanceof SyntaxError) throw new Fault('Runtime.UserCodeSyntaxError', `${e.name}: ${e.message}`, e);
    if (e && e.code === 'MODULE_NOT_FOUND') throw new Fault('Runtime.ImportModuleError', `Error: ${e.message}`, e);
    throw e;
  }
}

async function loadHandler(handlerString) {
  const dir = path.dirname(handlerString);
  const base = path.basename(handlerString);
  const dot = base.indexOf('.');
  if (dot <= 0 || dot === base.length - 1) {
    throw new Fault('Runtime.MalformedHandlerName', `Bad handler ${handlerString}`);
  }
  const modulePath = path.join(dir, base.slice(0, dot));
  const names = base.slice(dot + 1).split('.');
  let fn = await loadModule(modulePath);
  for (const n of names) {
    fn = fn === undefined || fn === null ? undefined : fn[n];
  }
  if (typeof fn !== 'function') {
    throw new Fault('Runtime.HandlerNotFound', `${handlerString} is undefined or not exported`);
  }
  return fn;
}

function makeContext(headers, finish, waitForEmptyLoop) {
  const deadline = Number(headers['lambda-runtime-deadline-ms'] || 0);
  const cc = headers['lambda-runtime-client-context'];
  const context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: headers['lambda-runtime-invoked-function-arn'],
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: headers['lambda-runtime-aws-request-id'],
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    clientContext: cc ? JSON.parse(cc) : undefined,
    identity: undefined,
    getRemainingTimeInMillis: () => Math.max(deadline - Date.now(), 0),
    done: (err, result) => finish(err, result),
    succeed: (result) => finish(null, result),
    fail: (err) => finish(err === undefined || err === null ? 'handled' : err),
  };
  return context;
}

function invoke(handler, inv) {
  return new Promise((resolve) => {
    let finished = false;
    let waiting = false;
    let pending = null; // a callback's result waiting for the empty event loop
    const finish = (err, result) => {
      if (finished) return;
      finished = true;
      current = null;
      process.removeListener('beforeExit', onEmpty);
      respond(inv.id, err, result).then(resolve, fatal);
    };
    const onEmpty = () => {
      waiting = false;
      if (pending) finish(pending.err, pending.result);
      else finish(null, undefined);
    };
    const waitForEmptyLoop = () => {
      if (!waiting && !finished) {
        waiting = true;
        process.once('beforeExit', onEmpty);
      }
    };
    const context = makeContext(inv.headers, finish, waitForEmptyLoop);
    const callback = (err, result) => {
      if (finished || pending) return;
      if (context.callbackWaitsForEmptyEventLoop) {
        pending = { err, result };
        waitForEmptyLoop();
      } else {
        finish(err, result);
      }
    };
    current = { id: inv.id, finish };
    let event;
    try {
      event = inv.body.length ? JSON.parse(inv.body.toString('utf8')) : null;
    } catch (e) {
      finish(e);
      return;
    }
    let ret;
    try {
      ret = handler(event, context, callback);
    } catch (e) {
      finish(e);
      return;
    }
    if (ret && typeof ret.then === 'function') {
      ret.then((r) => finish(null, r), (e) => finish(e === undefined || e === null ? new Error('handled') : e));
    } else {
      waitForEmptyLoop();
    }
  });
}

async function respond(id, err, result) {
  if (err !== null && err !== undefined) {
    const doc = toError(err);
    console.error('Invoke Error', JSON.stringify(doc));
    await postError(`invocation/${id}/error`, doc);
    return;
  }
  let body;
  try {
    body = JSON.stringify(result === undefined ? null : result);
  } catch (e) {
    const doc = { errorType: 'Runtime.MarshalError', errorMessage: `Unable to stringify response body: ${e.message}`, trace: [] };
    console.error('Invoke Error', JSON.stringify(doc));
    await postError(`invocation/${id}/error`, doc);
    return;
  }
  await call('POST', `invocation/${id}/response`, body, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
}

function fatal(err) {
  process.stderr.write(`the local runtime client failed: ${err && err.stack ? err.stack : err}\n`);
  process.exit(1);
}

// An exception nobody caught ends the invocation with it, and the process,
// as on AWS.
function crash(doc, code) {
  console.error(doc.errorType === 'Runtime.UnhandledPromiseRejection' ? 'Unhandled Promise Rejection' : 'Uncaught Exception', JSON.stringify(doc));
  const p = current ? `invocation/${current.id}/error` : 'init/error';
  current = null;
  postError(p, doc).then(() => process.exit(code), () => process.exit(code));
}

process.on('uncaughtException', (e) => crash(toError(e), 129));
process.on('unhandledRejection', (reason) => {
  const doc = toError(reason);
  crash({ errorType: 'Runtime.UnhandledPromiseRejection', errorMessage: `${doc.errorType}: ${doc.errorMessage}`, trace: doc.trace }, 128);
});

async function main() {
  process.chdir(TASK_ROOT);
  patchConsole();
  let handler;
  try {
    handler = await loadHandler(process.env._HANDLER || '');
  } catch (e) {
    const doc = toError(e);
    console.error('Uncaught Exception', JSON.stringify(doc));
    await postError('init/error', doc).catch(() => {});
    process.exit(129);
  }
  for (;;) {
    const res = await call('GET', 'invocation/next');
    if (res.status !== 200) process.exit(0);
    requestId = res.headers['lambda-runtime-aws-request-id'];
    const trace = res.headers['lambda-runtime-trace-id'];
    if (trace) process.env._X_AMZN_TRACE_ID = trace;
    else delete process.env._X_AMZN_TRACE_ID;
    await invoke(handler, { id: requestId, headers: res.headers, body: res.body });
  }
}

main().catch(fatal);
