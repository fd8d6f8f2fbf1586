"""Replaces the contrib hook of botocore, which bundles all of botocore/data (28 MB, 440 services).

desktop_ocr only signs requests with SigV4 (botocore.auth); that needs no service model. The small
top-level tables (endpoints, partitions, retry and default configuration) and the CA bundle stay
so botocore's loaders still find what they open at import or session time.
"""

from PyInstaller.utils.hooks import collect_data_files

hiddenimports = ["html.parser"]
datas = collect_data_files("botocore", includes=["data/*.json", "cacert.pem"])
