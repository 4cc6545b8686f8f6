// quick exit
