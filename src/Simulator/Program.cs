Console.WriteLine("SafetyPatrol simulator: coming with the simulator issue.");
