"""Asking a package index whether a name exists: PEP 503's simple API, one GET per name.

`GET {index}/{canonical-name}/` answers 200 when the project exists and 404 when it does not;
anything else (a timeout, a refused connection, a 5xx, a proxy's login page) is no answer,
and no answer makes no claim. Only ever asked when the setting `package_index_check` is on,
and only about a name nothing local knows. Answers are kept for the process's life.
"""

from __future__ import annotations

import functools
import re
import urllib.error
import urllib.request

DEFAULT_INDEX = "https://pypi.org/simple/"
TIMEOUT_S = 3.0


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@functools.lru_cache(maxsize=1024)
def index_knows(name: str, index: str = DEFAULT_INDEX, timeout: float = TIMEOUT_S) -> bool | None:
    """True: the index has the project; False: it answered that it does not; None: no
    answer (unreachable, an error, anything but 200 or 404)."""
    url = f"{index.rstrip('/')}/{canonical(name)}/"
    request = urllib.request.Request(
        url, headers={"Accept": "application/vnd.pypi.simple.v1+html, text/html;q=0.5"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return bool(response.status == 200)
    except urllib.error.HTTPError as error:
        return False if error.code == 404 else None
    except (urllib.error.URLError, OSError, ValueError):
        return None
