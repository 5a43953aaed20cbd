Csms.Silo.CsmsSilo.Build(args).Run();
