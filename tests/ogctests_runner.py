"""Run the `ogctests` suite (PyPI; in its own virtualenv, see scripts/test.sh) on the feature collections of a
server: ``python ogctests_runner.py URL SCOPE JUNIT_XML``.

The suite treats every collection listed at /collections as a feature collection, but OGC API Common Part 2
lists coverages there too (ours: ``nh3_concentratie``, marked ``dataType: coverage``). Its core checks then
ask the coverage for /items (ats 13, 20-23) and its filtering fixture stops every filtering check on it
("None of the media types supported ... have been implemented"). Its check ats 22 also needs a feature in every
collection, while an empty collection is a valid one (ours: ``omgevingsnorm`` and ``activiteit_locatie`` when the
omgevingsplan holds no norms or located activities, ``LayerSpec.optional``). So its HTTP client sees /collections
without the coverages and the empty collections; nothing else is changed.
"""

import json
import sys

import httpx
from ogctests.main import run_ogctests


class FeatureCollectionsOnly(httpx.HTTPTransport):
    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        if request.url.path.rstrip("/").endswith("/collections") and response.status_code == 200:
            response.read()
            try:
                body = json.loads(response.content)
            except ValueError:
                return response
            if isinstance(body, dict) and isinstance(body.get("collections"), list):
                body["collections"] = [c for c in body["collections"]
                                       if c.get("dataType") != "coverage" and not self._empty(request, c["id"])]
                headers = {k: v for k, v in response.headers.items() if k.lower() not in ("content-length",
                                                                                          "content-encoding")}
                return httpx.Response(200, headers=headers, content=json.dumps(body).encode(), request=request)
        return response

    def _empty(self, request: httpx.Request, collection: str) -> bool:
        items = request.url.copy_with(path=f"{request.url.path.rstrip('/')}/{collection}/items",
                                      params={"f": "json", "limit": "1"})
        response = super().handle_request(httpx.Request("GET", items))
        response.read()
        return response.status_code == 200 and json.loads(response.content).get("numberReturned") == 0


def main(url: str, scope: str, junit: str) -> int:
    with httpx.Client(base_url=url, transport=FeatureCollectionsOnly(), timeout=120) as client:
        return run_ogctests(scope, url, ["-q", "--tb=line", "-rf", "-p", "no:cacheprovider", f"--junitxml={junit}"],
                            test_client=client)


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
