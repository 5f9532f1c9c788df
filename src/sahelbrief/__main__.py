from sahelbrief.cli import main

raise SystemExit(main())
