from meetingapp.cli import main

raise SystemExit(main())
