return await Csms.Silo.CsmsSilo.RunAsync(args);
