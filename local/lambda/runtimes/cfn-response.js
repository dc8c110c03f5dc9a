// cfn-response: the local cloud's equivalent of the module AWS provides to
// inline (ZipFile) Node.js functions, with the same API:
// send(event, context, responseStatus, responseData, physicalResourceId,
// noEcho), SUCCESS and FAILED (and, as the Python module has it, an
// optional reason). It PUTs the custom resource response object to
// event.ResponseURL (http or https), then ends the invocation with
// context.done(), as AWS's module does.
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cfn-lambda-function-code-cfnresponsemodule.html
'use strict';

exports.SUCCESS = 'SUCCESS';
exports.FAILED = 'FAILED';

exports.send = function (event, context, responseStatus, responseData, physicalResourceId, noEcho, reason) {
  const responseBody = JSON.stringify({
    Status: responseStatus,
    Reason: reason || 'See the details in CloudWatch Log Stream: ' + context.logStreamName,
    PhysicalResourceId: physicalResourceId || context.logStreamName,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    NoEcho: noEcho || false,
    Data: responseData,
  });
  console.log('Response body:\n', responseBody);

  const url = new URL(event.ResponseURL);
  const client = url.protocol === 'https:' ? require('https') : require('http');
  const request = client.request(url, {
    method: 'PUT',
    headers: { 'content-type': '', 'content-length': Buffer.byteLength(responseBody) },
  }, function (response) {
    console.log('Status code: ' + response.statusCode);
    console.log('Status message: ' + response.statusMessage);
    response.resume();
    context.done();
  });
  request.on('error', function (error) {
    console.log('send(..) failed executing https.request(..): ' + error);
    context.done();
  });
  request.write(responseBody);
  request.end();
};
