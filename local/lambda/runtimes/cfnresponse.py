"""cfnresponse: the local cloud's equivalent of the module AWS provides to
inline (ZipFile) Python functions, with the same API:
send(event, context, responseStatus, responseData, physicalResourceId=None,
noEcho=False, reason=None), SUCCESS and FAILED. It sends the custom
resource response object with a PUT to event["ResponseURL"], using only the
standard library.

See https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cfn-lambda-function-code-cfnresponsemodule.html
"""

import json
import urllib.request

SUCCESS = "SUCCESS"
FAILED = "FAILED"


def send(event, context, responseStatus, responseData, physicalResourceId=None, noEcho=False, reason=None):
    responseUrl = event["ResponseURL"]
    print(responseUrl)
    responseBody = {
        "Status": responseStatus,
        "Reason": reason or "See the details in CloudWatch Log Stream: {}".format(context.log_stream_name),
        "PhysicalResourceId": physicalResourceId or context.log_stream_name,
        "StackId": event["StackId"],
        "RequestId": event["RequestId"],
        "LogicalResourceId": event["LogicalResourceId"],
        "NoEcho": noEcho,
        "Data": responseData,
    }
    json_responseBody = json.dumps(responseBody)
    print("Response body:")
    print(json_responseBody)
    body = json_responseBody.encode("utf-8")
    req = urllib.request.Request(responseUrl, data=body, method="PUT",
                                 headers={"content-type": "", "content-length": str(len(body))})
    try:
        with urllib.request.urlopen(req) as response:
            print("Status code: {}".format(response.status))
    except Exception as e:
        print("send(..) failed executing http.request(..):", e)
