from mindgap.cli import main

raise SystemExit(main())
