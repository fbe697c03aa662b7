import sys

from cloudmock.cli import main

sys.exit(main())
