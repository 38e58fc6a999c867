"""Run an installed aws-cli with every botocore client sent to ORACLE_ENDPOINT_URL (path-style S3).

aws-cli's `cloudtrail validate-logs` builds its S3 and Organizations clients without --endpoint-url
(awscli/customizations/cloudtrail/validation.py), so the simulator can only be reached by giving
every client the endpoint. Nothing else of aws-cli is changed. Usage: python3 aws-endpoint.py <aws args>
"""
import os
import sys

import awscli  # noqa: F401  (aws-cli v2 makes its vendored botocore importable as `botocore`)
import botocore.session as botocore_session
from botocore.config import Config

ENDPOINT = os.environ["ORACLE_ENDPOINT_URL"]
_create_client = botocore_session.Session.create_client


def create_client(self, service_name, *args, **kwargs):
    if kwargs.get("endpoint_url") is None:
        kwargs["endpoint_url"] = ENDPOINT
    if service_name == "s3":
        path_style = Config(s3={"addressing_style": "path"})
        kwargs["config"] = kwargs["config"].merge(path_style) if kwargs.get("config") else path_style
    return _create_client(self, service_name, *args, **kwargs)


botocore_session.Session.create_client = create_client

from awscli.clidriver import main  # noqa: E402

sys.exit(main())
